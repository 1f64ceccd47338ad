using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Checks the caller again around every gRPC handler of a service, before the handler's first
/// line: a call reaches domain code only as an operation of the contracts, from a caller whose
/// role that operation names. <see cref="ContractAccessMiddleware"/> already refused everything
/// else; this holds even if the middleware were left out of a pipeline.
/// </summary>
public sealed class ContractAccessInterceptor : RequestCheckInterceptor
{
    protected override void CheckCall(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        switch (ContractAccess.Match(http.GetEndpoint()))
        {
            case null:
                throw new RpcException(ContractAccess.NoSuchOperation(http));
            case { Operation: { } operation } when ContractAccess.Refusal(operation, Caller.From(http.User)) is { } refusal:
                throw new RpcException(refusal);
        }
    }
}
