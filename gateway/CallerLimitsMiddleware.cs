using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// The gateway's per-caller limits, after the access check (so every call here has a caller):
/// a state-changing call takes a write token, any other call (and opening a stream) a read token,
/// and a stream holds one of the caller's stream permits until it ends. A refusal is
/// ResourceExhausted naming the limit, before the call reaches a service.
/// </summary>
public sealed class CallerLimitsMiddleware(RequestDelegate next, CallerLimits limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (ContractAccess.Match(context.GetEndpoint())?.Operation is not { } operation || Caller.From(context.User) is not { } caller)
        {
            await next(context);
            return;
        }

        if ((operation.ChangesState ? limits.TryWrite(caller) : limits.TryRead(caller)) is { } refused)
        {
            await GrpcErrorResponse.WriteAsync(context, refused.StatusCode, refused.Detail);
            return;
        }

        if (!operation.IsStreaming)
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
