using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

/// <summary>Key rotation as the operator runs it (docs/security.md): add, switch, retire, with no verifier restarted.</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "remarketing-keyring-tests", Guid.NewGuid().ToString("N"));

    public KeyRingTests() => KeyRing.Initialize(_directory, Signers.All);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ARotatedKey_IsAcceptedWithoutARestart_AndARetiredOne_IsRefusedFromThenOn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var verifier = KeyRing.Load(_directory, time);
        var handler = new TrustedTokenHandler(verifier, TimeSpan.FromHours(12), time);
        var parameters = TrustedTokenHandler.Parameters(verifier, Signers.PublicAudience);
        var oldKeyId = KeyRing.KeyIds(_directory).Single(id => Signers.OfKeyId(id) == Signers.Identity);
        var oldToken = Issue();
        Assert.True((await handler.ValidateTokenAsync(oldToken, parameters)).IsValid);

        var newKeyId = KeyRing.AddKey(_directory, Signers.Identity);
        var newToken = Issue();
        // The key ring looks at jwks.json again once KeyRing.ReloadAtMostEvery has passed.
        var newBeforeALook = (await handler.ValidateTokenAsync(newToken, parameters)).IsValid;
        time.Advance(KeyRing.ReloadAtMostEvery);
        var newAfterALook = (await handler.ValidateTokenAsync(newToken, parameters)).IsValid;
        KeyRing.Retire(_directory, oldKeyId);
        time.Advance(KeyRing.ReloadAtMostEvery);
        var oldOnceRetired = (await handler.ValidateTokenAsync(oldToken, parameters)).IsValid;

        Assert.Equal((false, true, false), (newBeforeALook, newAfterALook, oldOnceRetired));

        Assert.Equal(newKeyId, new JsonWebToken(newToken).Kid);
        Assert.False(File.Exists(Path.Combine(_directory, $"{oldKeyId}.pem")));
    }

    [Fact]
    public async Task AKeyOfASignerNotTrustedForTheAudience_DoesNotVerify()
    {
        var keys = KeyRing.Load(_directory);
        var gatewayToken = new TokenIssuer(keys, Signers.Gateway).Issue("D-1", RoleNames.Buyer, Signers.PublicAudience, TimeSpan.FromMinutes(5));

        var result = await new TrustedTokenHandler(keys, TimeSpan.FromHours(12)).ValidateTokenAsync(gatewayToken, TrustedTokenHandler.Parameters(keys, Signers.PublicAudience));

        Assert.False(result.IsValid);
    }

    [Fact]
    public void ASigner_IssuesOnlyWhatItMayVouchFor()
    {
        var keys = KeyRing.Load(_directory);

        Assert.Throws<ArgumentException>(() => new TokenIssuer(keys, Signers.Identity).Issue("quote", RoleNames.Service, Signers.PublicAudience, TimeSpan.FromMinutes(5)));
        Assert.Throws<ArgumentException>(() => new TokenIssuer(keys, "auction").Issue("D-1", RoleNames.Buyer, Signers.ServicesAudience, TimeSpan.FromMinutes(5)));
        Assert.Throws<ArgumentException>(() => new TokenIssuer(keys, "auction").Issue("quote", RoleNames.Service, Signers.ServicesAudience, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void PrivateKeys_AreReadableByTheirOwnerOnly()
    {
        var modes = Directory.EnumerateFiles(_directory, "*.pem").Select(File.GetUnixFileMode).Distinct();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Assert.Single(modes));
    }

    private string Issue() => new TokenIssuer(KeyRing.Load(_directory), Signers.Identity).Issue("D-1", RoleNames.Buyer, Signers.PublicAudience, TimeSpan.FromMinutes(5));
}
