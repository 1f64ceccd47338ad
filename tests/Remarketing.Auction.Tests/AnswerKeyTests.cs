namespace Remarketing.Auction.Tests;

/// <summary>Issue #8: a stored answer is keyed by dealer and bid id with each part length-prefixed, so no chosen id reaches another dealer's answer.</summary>
[Collection(RedisCollection.Name)]
public class AnswerKeyTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task ABidIdThatSpellsAnotherDealersKey_GetsItsOwnAnswer_NeverTheOthersSecretMaximum()
    {
        // Under the old key "bid\n{dealer}\n{bid id}", dealer "D-7\nx" bidding "y" read the answer of
        // dealer "D-7" bidding "x\ny", and with it D-7's proxy maximum.
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        var victim = await _auction.BidAsync(listing, "D-7", 1_000_00, maximum: 9_876_00, bidId: "x\ny");

        var attacker = await _auction.BidAsync(listing, "D-7\nx", 1_000_00, maximum: 9_876_00, bidId: "y");

        Assert.Equal(9_876_00, victim.CallerMaximumCents);
        Assert.NotEqual(victim, attacker);
        Assert.False(attacker.CallerLeads);
        Assert.Equal(0, attacker.CallerMaximumCents);
    }
}
