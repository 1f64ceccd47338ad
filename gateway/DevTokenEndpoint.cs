using System.Net;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// POST /dev/token {"subject": "...", "role": "..."} → {"token": "&lt;JWT&gt;"}: the local profile's
/// identity provider, signing callers' tokens with the identity key of the local key ring. Mapped
/// only when Gateway:DevTokens is on, which the gateway allows in the Development and Local
/// environments only; it answers only callers on this machine that address it as localhost (or
/// its loopback address), and never issues the service role.
/// </summary>
public static class DevTokenEndpoint
{
    public static readonly IReadOnlySet<string> AllowedEnvironments = new HashSet<string>(["Development", "Local"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> LoopbackHosts = new(["localhost", "127.0.0.1", "[::1]", "::1"], StringComparer.OrdinalIgnoreCase);

    public sealed record DevTokenRequest(string? Subject, string? Role);

    public sealed record DevTokenResponse(string Token);

    public static void MapDevTokens(this WebApplication app)
    {
        var identity = new TokenIssuer(app.Services.GetRequiredService<KeyRing>(), Signers.Identity);
        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.DevTokenLifetime;
        var roles = RoleNames.All.Where(role => role != RoleNames.Service).ToArray();
        app.MapPost("/dev/token", (DevTokenRequest request, HttpContext context) =>
        {
            // From this machine, and addressed to it by name: a page in the developer's browser
            // cannot reach it by pointing a name of its own at 127.0.0.1 (DNS rebinding).
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote) || !LoopbackHosts.Contains(context.Request.Host.Host))
                return Results.NotFound();
            if (string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Trim().Length > 64)
                return Results.BadRequest(new { error = "subject is required (at most 64 characters): the dealer, inspector or carrier id the token speaks for" });
            if (request.Role is null || !roles.Contains(request.Role))
                return Results.BadRequest(new { error = $"role must be one of: {string.Join(", ", roles)} (services sign their own tokens)" });
            // Issued as ids are written ("aud3-agd1" is AUD3-AGD1); an invisible character is refused, not dropped.
            var subject = CallerIds.Canonical(request.Subject);
            if (CallerIds.Problem(subject) is { } problem)
                return Results.BadRequest(new { error = $"subject: {problem}" });
            return Results.Ok(new DevTokenResponse(identity.Issue(subject, request.Role, Signers.PublicAudience, lifetime)));
        });
    }
}
