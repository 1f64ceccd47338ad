using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// POST /dev/token {"subject": "...", "role": "..."} → {"token": "&lt;JWT&gt;"}: tokens for local
/// runs, signed with the local profile's generated key. Mapped only when Gateway:DevTokens is on.
/// </summary>
public static class DevTokenEndpoint
{
    public sealed record DevTokenRequest(string? Subject, string? Role);

    public sealed record DevTokenResponse(string Token);

    public static void MapDevTokens(this WebApplication app) =>
        app.MapPost("/dev/token", (DevTokenRequest request, TokenIssuer issuer) =>
        {
            if (string.IsNullOrWhiteSpace(request.Subject))
                return Results.BadRequest(new { error = "subject is required: the dealer, inspector or carrier id the token speaks for" });
            if (request.Role is null || !RoleNames.All.Contains(request.Role))
                return Results.BadRequest(new { error = $"role must be one of: {string.Join(", ", RoleNames.All)}" });
            return Results.Ok(new DevTokenResponse(issuer.Issue(request.Subject.Trim(), request.Role)));
        });
}
