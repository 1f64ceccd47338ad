using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Validates bearer tokens: an ES256 signature by a key of a signer trusted for this process's
/// audience, "iss" naming that same signer, a signer allowed to vouch for the subject and role,
/// and a lifetime within the maximum. A token that passed is remembered until it expires, so a
/// caller's every call after the first costs a lookup, not a signature check.
/// </summary>
public sealed class TrustedTokenHandler : JsonWebTokenHandler
{
    private const int MaxRemembered = 100_000;
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime Until)> _validated = new(StringComparer.Ordinal);
    private readonly KeyRing _keys;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeProvider _time;

    /// <param name="time">Real time by default (never the shared clock); a test's fake one.</param>
    public TrustedTokenHandler(KeyRing keys, TimeSpan maxLifetime, TimeProvider? time = null)
    {
        _keys = keys;
        _maxLifetime = maxLifetime;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>What every process checks a token against; <paramref name="audience"/> picks which signers it trusts.</summary>
    public static TokenValidationParameters Parameters(KeyRing keys, string audience)
    {
        var trusted = Signers.TrustedFor(audience);
        return new TokenValidationParameters
        {
            ValidAudience = audience,
            ValidIssuers = trusted,
            IssuerSigningKeyResolver = (_, _, keyId, _) => keys.Resolve(keyId, trusted),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = CallerClaims.Subject,
            RoleClaimType = CallerClaims.Role,
            ClockSkew = AllowedSkew,
        };
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(token, out var remembered) && now < remembered.Until
            && remembered.Result.SecurityToken is JsonWebToken { Kid: { } keyId } && _keys.IsCurrent(keyId))
            return remembered.Result;

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
            return result;
        if (Violation(jwt) is { } violation)
            return new TokenValidationResult { IsValid = false, Exception = new TokenPolicyException(violation) };

        if (_validated.Count >= MaxRemembered)
            _validated.Clear();
        _validated[token] = (result, jwt.ValidTo);
        return result;
    }

    private string? Violation(JsonWebToken jwt)
    {
        var signer = Signers.OfKeyId(jwt.Kid ?? "");
        if (jwt.Issuer != signer)
            return $"the token says it is from '{jwt.Issuer}' but is signed with a key of '{signer}'";
        var subject = jwt.TryGetPayloadValue<string>(CallerClaims.Subject, out var sub) ? sub : "";
        var role = jwt.TryGetPayloadValue<string>(CallerClaims.Role, out var claimed) ? claimed : "";
        if (Signers.Problem(signer, subject, role) is { } problem)
            return problem;
        if (jwt.IssuedAt == DateTime.MinValue)
            return "the token has no issue time (iat): ask for a token that carries one";
        // A lifetime counted from an issue time in the future would let a signer mint a long-lived token.
        if (jwt.IssuedAt > _time.GetUtcNow().UtcDateTime + AllowedSkew)
            return "the token says it was issued in the future: check the issuer's clock";
        var lifetime = jwt.ValidTo - jwt.IssuedAt;
        if (lifetime > _maxLifetime)
            return $"the token lives {Describe(lifetime)}, longer than the {Describe(_maxLifetime)} this system accepts: ask for a shorter-lived token";
        return null;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 2 ? $"{span.TotalDays:0} days" : span.TotalHours >= 2 ? $"{span.TotalHours:0} h" : $"{span.TotalMinutes:0} min";
}
