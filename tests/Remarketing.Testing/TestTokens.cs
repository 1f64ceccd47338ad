using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Testing;

/// <summary>A signing key for one test system and the tokens it signs (the same issuer the services use).</summary>
public sealed class TestTokens
{
    public TestTokens(string? signingKey = null)
    {
        SigningKey = signingKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Options = new AuthOptions { SigningKey = SigningKey };
        Issuer = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options));
    }

    public string SigningKey { get; }

    public AuthOptions Options { get; }

    public TokenIssuer Issuer { get; }

    public string For(string subject, string role) => Issuer.Issue(subject, role);

    /// <summary>Call metadata carrying a bearer token for <paramref name="subject"/> in <paramref name="role"/>.</summary>
    public Grpc.Core.Metadata Bearer(string subject, string role) =>
        new() { { "authorization", $"Bearer {For(subject, role)}" } };

    /// <summary>Settings every process of a test system needs to agree on the key.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Auth:SigningKey", SigningKey),
        new("Auth:Issuer", Options.Issuer),
        new("Auth:Audience", Options.Audience),
    ];
}
