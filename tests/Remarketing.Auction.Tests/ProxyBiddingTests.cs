namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: a maximum bids for its owner one increment at a time, up to the maximum and never above it.</summary>
[Collection(RedisCollection.Name)]
public class ProxyBiddingTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task Proxy_BidsOneIncrementOverEachChallenger_NeverAboveTheMaximum()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 2_000_00);

        var first = await _auction.BidAsync(listing, "D-B", 1_100_00);
        var capped = await _auction.BidAsync(listing, "D-B", 1_975_00);
        var beaten = await _auction.BidAsync(listing, "D-B", 2_050_00);

        // $1,100 + $50 = $1,150 for D-A; then $1,975 + $50 would pass D-A's $2,000 maximum, so $2,000.
        Assert.Equal((true, false, 1_150_00L), (first.Accepted, first.CallerLeads, first.CurrentPriceCents));
        Assert.Equal((false, 2_000_00L), (capped.CallerLeads, capped.CurrentPriceCents));
        Assert.Equal((true, 2_050_00L), (beaten.CallerLeads, beaten.CurrentPriceCents));
        var bids = (await _auction.EventsAsync(listing)).Select(e => (e.PriceCents, e.Proxy)).ToList();
        Assert.Equal([(1_000_00L, false), (1_150_00L, true), (2_000_00L, true), (2_050_00L, false)], bids);
    }

    [Fact]
    public async Task Proxy_ChallengerWithHigherMaximum_PaysOneIncrementOverTheBeatenMaximum()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 1_500_00);

        var answer = await _auction.BidAsync(listing, "D-B", 1_050_00, maximum: 3_000_00);

        Assert.Equal((true, 1_550_00L, 3_000_00L), (answer.CallerLeads, answer.CurrentPriceCents, answer.CallerMaximumCents));
    }

    [Fact]
    public async Task Proxy_ChallengerMaximumJustAboveTheLeaders_PaysItsOwnMaximumNotMore()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 1_500_00);

        var answer = await _auction.BidAsync(listing, "D-B", 1_050_00, maximum: 1_520_00);

        Assert.Equal((true, 1_520_00L), (answer.CallerLeads, answer.CurrentPriceCents));
    }

    [Fact]
    public async Task Proxy_EqualMaxima_TheEarlierWins()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 2_000_00);

        var later = await _auction.BidAsync(listing, "D-B", 1_050_00, maximum: 2_000_00);
        var state = await _auction.ReadAsync(listing);

        Assert.Equal((true, false, 2_000_00L), (later.Accepted, later.CallerLeads, later.CurrentPriceCents));
        Assert.Equal("D-A", state.LeaderDealerId);
    }

    [Fact]
    public async Task Proxy_HighBidderRaisesItsMaximum_WithoutRaisingThePrice()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 1_500_00);
        var eventsBefore = await _auction.EventsAsync(listing);

        var raise = await _auction.BidAsync(listing, "D-A", 1_050_00, maximum: 3_000_00);
        var eventsAfter = await _auction.EventsAsync(listing);
        var challenge = await _auction.BidAsync(listing, "D-B", 2_000_00);

        Assert.Equal((true, true, 1_000_00L, 3_000_00L), (raise.Accepted, raise.CallerLeads, raise.CurrentPriceCents, raise.CallerMaximumCents));
        Assert.Equal(eventsBefore.Count, eventsAfter.Count);
        Assert.Equal(eventsBefore[^1].Sequence, raise.Sequence);
        Assert.Equal((false, 2_050_00L), (challenge.CallerLeads, challenge.CurrentPriceCents));
    }

    [Fact]
    public async Task Proxy_MaximumCanBeRaised_NeverLowered()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 3_000_00);

        var lowered = await _auction.BidAsync(listing, "D-A", 1_050_00, maximum: 2_000_00);

        Assert.Equal((false, BidRejection.MaximumLowered), (lowered.Accepted, lowered.Rejection));
        Assert.Equal("your maximum is $3,000.00: a maximum can be raised, never lowered", lowered.Message);
        Assert.Equal(3_000_00, await _auction.Engine.OwnMaximumAsync(listing.ListingId, "D-A"));
    }

    [Fact]
    public async Task Proxy_OutbidDealerMayComeBackWithAHigherMaximum()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 1_200_00);
        await _auction.BidAsync(listing, "D-B", 1_050_00, maximum: 2_000_00);

        var back = await _auction.BidAsync(listing, "D-A", 2_050_00, maximum: 2_500_00);

        Assert.Equal((true, 2_050_00L, 2_500_00L), (back.CallerLeads, back.CurrentPriceCents, back.CallerMaximumCents));
    }

    [Fact]
    public async Task Proxy_MaximumBelowTheAmount_IsARejectedReply()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);

        var answer = await _auction.BidAsync(listing, "D-A", 1_500_00, maximum: 1_200_00);

        Assert.Equal((false, BidRejection.MaximumBelowAmount), (answer.Accepted, answer.Rejection));
        Assert.Equal("the maximum must be at least the bid amount", answer.Message);
        Assert.Empty(await _auction.EventsAsync(listing));
    }

    [Fact]
    public async Task Proxy_HighBidderRepeatingAPlainBidWithinItsMaximum_IsAlreadyLeading()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 3_000_00);

        var again = await _auction.BidAsync(listing, "D-A", 1_050_00);

        Assert.Equal((false, BidRejection.AlreadyLeading), (again.Accepted, again.Rejection));
        Assert.Equal("you already lead with a maximum of $3,000.00: to go higher, raise your maximum", again.Message);
        Assert.Equal(1_000_00, (await _auction.ReadAsync(listing)).CurrentPriceCents);
    }

    [Fact]
    public async Task Proxy_OwnersAnswerCarriesItsMaximum_AChallengersNever()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        var owner = await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 4_321_00);

        var challenger = await _auction.BidAsync(listing, "D-B", 1_100_00);

        Assert.Equal(4_321_00, owner.CallerMaximumCents);
        Assert.Equal(0, challenger.CallerMaximumCents);
        Assert.DoesNotContain("4,321", challenger.Message);
        Assert.DoesNotContain(await _auction.EventsAsync(listing), e => e.PriceCents == 4_321_00);
    }
}
