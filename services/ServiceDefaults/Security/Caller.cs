using System.Security.Claims;
using Grpc.Core;

namespace Remarketing.ServiceDefaults.Security;

public static class CallerClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
}

/// <summary>
/// Who is calling, from the validated token: the only source of a dealer's, inspector's or
/// carrier's id. Request fields never name the caller.
/// </summary>
public sealed record Caller(string Subject, string Role)
{
    public static Caller? From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(CallerClaims.Subject)?.Value;
        var role = principal.FindFirst(CallerClaims.Role)?.Value;
        return string.IsNullOrWhiteSpace(subject) || string.IsNullOrWhiteSpace(role) ? null : new Caller(subject, role);
    }
}

public static class CallerExtensions
{
    /// <summary>The authenticated caller of a gRPC call (the access middleware has already refused anonymous calls).</summary>
    public static Caller GetCaller(this ServerCallContext context) =>
        Caller.From(context.GetHttpContext().User)
        ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call carries no authenticated caller"));
}
