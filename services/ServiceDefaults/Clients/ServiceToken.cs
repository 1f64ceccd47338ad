using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>
/// The token a service presents when it calls another service: signed with its own key, role
/// "service", its own name as the subject, short-lived and renewed before it expires, in real time
/// (<paramref name="time"/>: a test's fake one; never the shared clock).
/// </summary>
public sealed class ServiceToken(TokenIssuer issuer, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly Lock _lock = new();
    private (string Token, DateTimeOffset RenewAfter) _current;

    public string Current
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (_current.Token is null || now >= _current.RenewAfter)
                    _current = (issuer.Issue(issuer.Signer, RoleNames.Service, Signers.ServicesAudience, Lifetime), now + Lifetime / 2);
                return _current.Token;
            }
        }
    }
}
