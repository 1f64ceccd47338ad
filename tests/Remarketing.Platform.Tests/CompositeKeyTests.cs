using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

public sealed class CompositeKeyTests
{
    [Theory]
    [InlineData("a:b", "c", "a", "b:c")]
    [InlineData("a\nb", "c", "a", "b\nc")]
    [InlineData("", "ab", "a", "b")]
    [InlineData("1:a", "", "", "1:a")]
    public void PartsThatJoinToTheSameText_MakeDifferentKeys(string first1, string second1, string first2, string second2)
    {
        Assert.NotEqual(CompositeKey.Of(first1, second1), CompositeKey.Of(first2, second2));
        Assert.NotEqual(CompositeKey.Hashed(first1, second1), CompositeKey.Hashed(first2, second2));
    }

    [Fact]
    public void AKey_IsTheSameEveryTime_AndReadable()
    {
        Assert.Equal("3:bid5:D-1003:b-1", CompositeKey.Of("bid", "D-100", "b-1"));
        Assert.Equal(CompositeKey.Hashed("bid", "D-100", "b-1"), CompositeKey.Hashed("bid", "D-100", "b-1"));
        Assert.Equal(32, CompositeKey.Hashed("x").Length);
    }
}
