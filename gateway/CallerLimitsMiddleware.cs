using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// The gateway's per-caller limits, after the access check: a state-changing call takes a write
/// token, any other call (and opening a stream) a read token, and a stream holds one of the
/// caller's stream permits until it ends. A call open to anyone (health, reflection) is counted
/// against its network address. A refusal is ResourceExhausted naming the limit, before the call
/// goes on.
/// </summary>
public sealed class CallerLimitsMiddleware(RequestDelegate next, CallerLimits limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (ContractAccess.Match(endpoint) is not { } matched)
        {
            await next(context);
            return;
        }

        var operation = matched.Operation;
        var caller = operation is null ? CallerLimits.Anonymous(context.Connection.RemoteIpAddress) : Caller.From(context.User);
        if (caller is null)
        {
            await next(context);
            return;
        }

        if ((operation?.ChangesState == true ? limits.TryWrite(caller) : limits.TryRead(caller)) is { } refused)
        {
            await GrpcErrorResponse.WriteAsync(context, refused.StatusCode, refused.Detail);
            return;
        }

        var streaming = operation?.IsStreaming ?? endpoint!.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>()?.Method.Type != Grpc.Core.MethodType.Unary;
        if (!streaming)
        {
            await next(context);
            return;
        }

        var (permit, tooMany) = limits.TryOpenStream(caller);
        if (tooMany is { } refusal)
        {
            await GrpcErrorResponse.WriteAsync(context, refusal.StatusCode, refusal.Detail);
            return;
        }

        using (permit)
            await next(context);
    }
}
