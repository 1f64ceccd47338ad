using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>Signs tokens: the gateway's local /dev/token endpoint and service-to-service calls.</summary>
public sealed class TokenIssuer
{
    private readonly AuthOptions _options;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebTokenHandler _handler = new();

    public TokenIssuer(IOptions<AuthOptions> options)
    {
        _options = options.Value;
        _credentials = new SigningCredentials(new SymmetricSecurityKey(_options.SigningKeyBytes()), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A token for <paramref name="subject"/> (for the dealer roles: the dealer id) in <paramref name="role"/>.</summary>
    public string Issue(string subject, string role, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (!RoleNames.All.Contains(role))
            throw new ArgumentException($"unknown role '{role}'; roles: {string.Join(", ", RoleNames.All)}", nameof(role));

        // Token lifetimes are real time, not the simulated clock: a token must not expire in
        // seconds because a simulation runs the clock faster.
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            Subject = new ClaimsIdentity([new Claim(CallerClaims.Subject, subject), new Claim(CallerClaims.Role, role)]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? _options.TokenLifetime),
            SigningCredentials = _credentials,
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKey = _credentials.Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = CallerClaims.Subject,
        RoleClaimType = CallerClaims.Role,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
