using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Who signs tokens, and what each may sign. Every signer has its own ES256 key pair; a token's
/// "iss" is its signer's name and its key id starts with that name, so a verifier knows which
/// signer vouches for it and refuses a token a signer has no business signing.
/// </summary>
public static class Signers
{
    /// <summary>Signs callers' tokens (dealers, the remarketing center, inspectors, carriers): an identity provider; locally, POST /dev/token.</summary>
    public const string Identity = "identity";

    /// <summary>Signs the identity it forwards to a service for a caller it authenticated.</summary>
    public const string Gateway = "gateway";

    /// <summary>Each service signs its own service-to-service tokens, as itself only.</summary>
    public static IReadOnlyList<string> Services { get; } = ["quote", "inspection", "auction", "transport"];

    public static IReadOnlyList<string> All { get; } = [Identity, Gateway, .. Services];

    /// <summary>The audience of callers' tokens: only the gateway accepts them.</summary>
    public const string PublicAudience = "remarketing";

    /// <summary>The audience of tokens services accept: the gateway's forwarded identities and service tokens.</summary>
    public const string ServicesAudience = "remarketing-services";

    /// <summary>The signers whose tokens a process accepting <paramref name="audience"/> trusts.</summary>
    public static IReadOnlySet<string> TrustedFor(string audience) => audience switch
    {
        PublicAudience => new HashSet<string>(StringComparer.Ordinal) { Identity },
        ServicesAudience => new HashSet<string>([Gateway, .. Services], StringComparer.Ordinal),
        _ => new HashSet<string>(StringComparer.Ordinal),
    };

    /// <summary>Null when <paramref name="signer"/> may vouch for <paramref name="subject"/> in <paramref name="role"/>; otherwise why not.</summary>
    public static string? Problem(string signer, string subject, string role)
    {
        if (!RoleNames.All.Contains(role))
            return $"the token's role '{role}' is not one of: {string.Join(", ", RoleNames.All)}";
        if (role != RoleNames.Service && CallerIds.Problem(subject) is { } spelling)
            return $"the token's subject: {spelling}";
        if (signer is Identity)
            return role == RoleNames.Service ? $"{signer} tokens never carry the service role: services sign their own" : null;
        // The gateway speaks for callers in their own roles, and for itself in the service role
        // (its one relay stream per listing), like a service.
        if (signer is Gateway)
            return role != RoleNames.Service || subject == Gateway ? null : $"{signer} tokens carry the service role for the gateway itself (subject {Gateway}) only";
        if (Services.Contains(signer))
            return role == RoleNames.Service && subject == signer ? null : $"the {signer} service signs tokens for itself (role service, subject {signer}) only";
        return $"'{signer}' is not a signer of this system";
    }

    /// <summary>The signer a key id belongs to: the part before the first dot ("gateway.20261128075351042").</summary>
    public static string OfKeyId(string keyId) => keyId.Split('.', 2)[0];
}
