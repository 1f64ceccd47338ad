using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>Signs tokens as one signer, with its newest private key from the key ring.</summary>
public sealed class TokenIssuer
{
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly TimeProvider _time;

    /// <param name="time">Real time by default (never the shared clock); a test's fake one.</param>
    public TokenIssuer(KeyRing keys, string signer, TimeProvider? time = null)
    {
        Signer = signer;
        _credentials = keys.SigningCredentialsOf(signer);
        _time = time ?? TimeProvider.System;
    }

    public string Signer { get; }

    /// <summary>A token for <paramref name="subject"/> (for the dealer roles: the dealer id) in <paramref name="role"/>, for <paramref name="audience"/>.</summary>
    public string Issue(string subject, string role, string audience, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (Signers.Problem(Signer, subject, role) is { } problem)
            throw new ArgumentException(problem, nameof(role));

        // Token lifetimes are real time, not the simulated clock: a token must not expire in
        // seconds because a simulation runs the clock faster.
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Signer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(CallerClaims.Subject, subject), new Claim(CallerClaims.Role, role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = _credentials,
        });
    }
}
