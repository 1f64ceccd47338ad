using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Testing;

/// <summary>
/// A key ring of its own for one test system (every signer's key pair in a temporary directory,
/// removed when the test process ends), and the tokens each signer signs.
/// </summary>
public sealed class TestTokens
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly Lazy<TokenIssuer> _identity;
    private readonly Lazy<TokenIssuer> _gateway;

    public TestTokens()
    {
        KeysDirectory = Path.Combine(Path.GetTempPath(), "remarketing-test-keys", Guid.NewGuid().ToString("N"));
        KeyRing.Initialize(KeysDirectory, Signers.All);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(KeysDirectory);
        Keys = KeyRing.Load(KeysDirectory);
        _identity = new(() => new TokenIssuer(Keys, Signers.Identity));
        _gateway = new(() => new TokenIssuer(Keys, Signers.Gateway));
    }

    public string KeysDirectory { get; }

    public KeyRing Keys { get; }

    /// <summary>A caller's token from the identity provider, as the gateway takes it.</summary>
    public string For(string subject, string role) => _identity.Value.Issue(subject, role, Signers.PublicAudience, Lifetime);

    /// <summary>Call metadata carrying a caller's token (<see cref="For"/>): for calls through the gateway.</summary>
    public Grpc.Core.Metadata Bearer(string subject, string role) => Header(For(subject, role));

    /// <summary>The identity the gateway forwards for a caller: for calling a service directly as the gateway does.</summary>
    public string ForwardedFor(string subject, string role) => _gateway.Value.Issue(subject, role, Signers.ServicesAudience, Lifetime);

    /// <summary>Call metadata carrying a forwarded identity (<see cref="ForwardedFor"/>).</summary>
    public Grpc.Core.Metadata Forwarded(string subject, string role) => Header(ForwardedFor(subject, role));

    /// <summary>A service's own token, signed with that service's key.</summary>
    public string ServiceToken(string service) =>
        new TokenIssuer(Keys, service).Issue(service, Contracts.RoleNames.Service, Signers.ServicesAudience, Lifetime);

    /// <summary>Call metadata carrying a service's own token (<see cref="ServiceToken"/>).</summary>
    public Grpc.Core.Metadata Service(string service) => Header(ServiceToken(service));

    /// <summary>Settings every process of a test system needs: the key ring. Each process adds its own Auth:Signer.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings() => [new("Auth:KeysDirectory", KeysDirectory)];

    private static Grpc.Core.Metadata Header(string token) => new() { { "authorization", $"Bearer {token}" } };

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
