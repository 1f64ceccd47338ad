using System.Collections.Concurrent;
using Remarketing.ServiceDefaults.Security;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Remarketing.Gateway;

/// <summary>
/// What the gateway tells a service about the caller it authenticated: the caller's own token
/// never travels on (a service refuses it), a short-lived token signed with the gateway's own key
/// for the services' audience does, naming the same subject and role.
/// </summary>
public sealed class ForwardedIdentity(TokenIssuer gateway)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<(string Role, string Subject), (string Authorization, DateTime RenewAfter)> _tokens = new();

    /// <summary>
    /// The authorization metadata ("Bearer" and the token) that speaks for <paramref name="caller"/> to
    /// the services: one per caller, renewed at half its life, kept whole so a call builds no string.
    /// </summary>
    public string AuthorizationFor(Caller caller)
    {
        var now = DateTime.UtcNow;
        var key = (caller.Role, caller.Subject);
        if (_tokens.TryGetValue(key, out var current) && now < current.RenewAfter)
            return current.Authorization;
        if (_tokens.Count >= MaxRemembered)
            _tokens.Clear();
        var authorization = "Bearer " + gateway.Issue(caller.Subject, caller.Role, Signers.ServicesAudience, Lifetime);
        _tokens[key] = (authorization, now + Lifetime / 2);
        return authorization;
    }

    /// <summary>Swaps the caller's authorization header for the forwarded identity on every proxied request.</summary>
    public static void AddTransform(TransformBuilderContext context) =>
        context.AddRequestTransform(transform =>
        {
            transform.ProxyRequest.Headers.Remove("authorization");
            // The access check ran first: a request with no caller never gets this far, but if one did it goes on with no identity.
            if (Caller.From(transform.HttpContext.User) is { } caller)
            {
                var forwarded = transform.HttpContext.RequestServices.GetRequiredService<ForwardedIdentity>().AuthorizationFor(caller);
                transform.ProxyRequest.Headers.TryAddWithoutValidation("authorization", forwarded);
            }
            return ValueTask.CompletedTask;
        });
}
