using Grpc.Core;

namespace Remarketing.ServiceDefaults.Security;

public static class CallerExtensions
{
    /// <summary>The authenticated caller of a gRPC call (the access middleware has already refused anonymous calls).</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        Caller.From(context.GetHttpContext().User)
        ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call carries no authenticated caller"));
}
