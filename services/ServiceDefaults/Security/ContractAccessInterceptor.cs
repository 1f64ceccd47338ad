using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Checks the caller again around every gRPC handler of a service, before the handler's first
/// line: a call reaches domain code only as an operation of the contracts, from a caller whose
/// role that operation names. <see cref="ContractAccessMiddleware"/> already refused everything
/// else; this holds even if the middleware were left out of a pipeline.
/// </summary>
public sealed class ContractAccessInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
    }

    private static void Admit(ServerCallContext context)
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
