using System.Security.Claims;

namespace Remarketing.ServiceDefaults.Security;

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
