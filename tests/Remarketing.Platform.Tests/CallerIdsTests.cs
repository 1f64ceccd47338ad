using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

/// <summary>One spelling per caller id: two would be two callers, and a dealer could bid on its own listing under the other.</summary>
public class CallerIdsTests
{
    [Theory]
    [InlineData("AUD3-AGD1")]
    [InlineData("D-CA-TOYOTA-1")]
    [InlineData("RC-SIM")]
    [InlineData("INSP_ACME.2@EAST")]
    public void ACanonicalId_HasNoProblem(string id) =>
        Assert.Null(CallerIds.Problem(id));

    [Theory]
    [InlineData("aud3-agd1", "AUD3-AGD1", "not written as ids are (upper case): 'AUD3-AGD1'")]
    [InlineData("Aud3-Agd1", "AUD3-AGD1", "not written as ids are (upper case): 'AUD3-AGD1'")]
    [InlineData(" AUD3-AGD1 ", "AUD3-AGD1", "holds a space (U+0020)")]
    public void AnotherSpelling_IsRefused_AndCanonicalizedAsIssued(string id, string canonical, string says)
    {
        Assert.Equal(canonical, CallerIds.Canonical(id));
        Assert.Contains(says, CallerIds.Problem(id));
    }

    [Theory]
    [InlineData("CONCESSIONNAIRE-\u00C9", "U+00C9")]
    [InlineData("CONCESSIONNAIRE-E\u0301", "U+0301")]
    [InlineData("\u0410UD3-AGD1", "U+0410")]
    public void ANonAsciiCharacter_IsRefused_SoNoTwoSpellingsLookAlike(string id, string named) =>
        Assert.Contains($"the character {named}", CallerIds.Problem(id));

    [Theory]
    [InlineData("AUD3-AGD1\u200B", "invisible character (U+200B)")]
    [InlineData("AUD3\u200D-AGD1", "invisible character (U+200D)")]
    [InlineData("AUD3-AGD1\u0000", "invisible character (U+0000)")]
    [InlineData("AUD3-AGD1\u0007", "invisible character (U+0007)")]
    [InlineData("\uFEFFAUD3-AGD1", "invisible character (U+FEFF)")]
    public void AnInvisibleCharacter_IsRefused_NotDropped(string id, string named)
    {
        Assert.Contains(named, CallerIds.Problem(id));
        Assert.NotNull(CallerIds.Problem(CallerIds.Canonical(id)));
    }

    [Fact]
    public void IllFormedText_IsRefused() =>
        Assert.Contains("the character U+FFFD", CallerIds.Problem("AUD3-\uD800"));

    [Theory]
    [InlineData("aud3-agd1")]
    [InlineData("AUD3-AGD1\u200B")]
    public void NoTokenIsIssuedForAnotherSpelling(string subject)
    {
        var keys = new TestTokens();
        var issuer = new TokenIssuer(keys.Keys, Signers.Identity);

        var refused = Assert.Throws<ArgumentException>(() => issuer.Issue(subject, Contracts.RoleNames.Buyer, Signers.PublicAudience, TimeSpan.FromMinutes(5)));

        Assert.Contains("the token's subject: the id", refused.Message);
    }
}
