using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>
/// The token a service presents when it calls another service: signed with its own key, role
/// "service", its own name as the subject, short-lived and renewed before it expires.
/// </summary>
public sealed class ServiceToken(TokenIssuer issuer)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly Lock _lock = new();
    private (string Token, DateTime RenewAfter) _current;

    public string Current
    {
        get
        {
            lock (_lock)
            {
                if (_current.Token is null || DateTime.UtcNow >= _current.RenewAfter)
                    _current = (issuer.Issue(issuer.Signer, RoleNames.Service, Signers.ServicesAudience, Lifetime), DateTime.UtcNow + Lifetime / 2);
                return _current.Token;
            }
        }
    }
}
