namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: a bid must beat the current price by the increment of its price band; the first bid must reach the opening price.</summary>
[Collection(RedisCollection.Name)]
public class IncrementRulesTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Theory]
    [InlineData(500_00, 25_00)]          // $25 under $1,000
    [InlineData(999_99, 25_00)]
    [InlineData(1_000_00, 50_00)]        // $50 under $5,000
    [InlineData(4_999_99, 50_00)]
    [InlineData(5_000_00, 100_00)]       // $100 under $10,000
    [InlineData(9_999_99, 100_00)]
    [InlineData(10_000_00, 250_00)]      // $250 under $50,000
    [InlineData(49_999_99, 250_00)]
    [InlineData(50_000_00, 500_00)]      // $500 above
    [InlineData(250_000_00, 500_00)]
    public async Task Increment_ByPriceBand_NextBidMustReachPricePlusStep(long price, long step)
    {
        var listing = await _auction.CreateAsync(opening: price);
        await _auction.BidAsync(listing, "D-A", price);

        var short1Cent = await _auction.BidAsync(listing, "D-B", price + step - 1);
        var exact = await _auction.BidAsync(listing, "D-B", price + step);

        Assert.Equal((false, BidRejection.BelowMinimum, price + step), (short1Cent.Accepted, short1Cent.Rejection, short1Cent.MinimumNextBidCents));
        Assert.Equal((true, price + step, true), (exact.Accepted, exact.CurrentPriceCents, exact.CallerLeads));
    }

    [Fact]
    public async Task BelowMinimum_MessageSaysWhatToBid_AndChangesNothing()
    {
        var listing = await _auction.CreateAsync(opening: 12_000_00);
        await _auction.BidAsync(listing, "D-A", 12_000_00);
        var before = await _auction.ReadAsync(listing);

        var answer = await _auction.BidAsync(listing, "D-B", 12_100_00);

        Assert.False(answer.Accepted);
        Assert.Equal("bid at least $12,250.00", answer.Message);
        Assert.Equal(before, await _auction.ReadAsync(listing));
        Assert.Single(await _auction.EventsAsync(listing));
    }

    [Fact]
    public async Task FirstBid_MustReachTheOpeningPrice()
    {
        var listing = await _auction.CreateAsync(opening: 7_500_00);

        var below = await _auction.BidAsync(listing, "D-A", 7_499_99);
        var opening = await _auction.BidAsync(listing, "D-A", 7_500_00);

        Assert.Equal((false, BidRejection.BelowMinimum, 7_500_00L), (below.Accepted, below.Rejection, below.MinimumNextBidCents));
        Assert.Equal((true, 7_500_00L, 7_600_00L), (opening.Accepted, opening.CurrentPriceCents, opening.MinimumNextBidCents));
    }

    [Fact]
    public async Task FirstBid_MayBeAboveTheOpeningPrice_AndSetsThePrice()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);

        var answer = await _auction.BidAsync(listing, "D-A", 3_333_33);

        Assert.Equal(3_333_33, answer.CurrentPriceCents);
    }

    [Fact]
    public async Task OpeningPrice_Unset_IsTheFirstIncrement()
    {
        var listing = await _auction.CreateAsync(opening: 0);

        Assert.Equal(25_00, listing.OpeningPriceCents);
        Assert.Equal(BidRejection.BelowMinimum, (await _auction.BidAsync(listing, "D-A", 24_99)).Rejection);
    }

    [Fact]
    public async Task IncrementTable_IsConfigurable()
    {
        var auction = new TestAuction(redis.Connection, options => options.Increments =
        [
            new IncrementBand { BelowCents = 2_000_00, StepCents = 10_00 },
            new IncrementBand { BelowCents = 0, StepCents = 1_000_00 },
        ]);
        var listing = await auction.CreateAsync(opening: 1_990_00);

        var first = await auction.BidAsync(listing, "D-A", 1_990_00);
        var second = await auction.BidAsync(listing, "D-B", 2_000_00);

        Assert.Equal(2_000_00, first.MinimumNextBidCents);
        Assert.Equal(3_000_00, second.MinimumNextBidCents);
    }

    [Fact]
    public void IncrementTable_WithoutAnOpenEndedLastBand_IsRefused()
    {
        var problem = IncrementTable.Validate([new IncrementBand { BelowCents = 1_000_00, StepCents = 25_00 }]);

        Assert.Equal("Auction:Increments must end with an open-ended band (BelowCents 0)", problem);
    }

    [Fact]
    public async Task Bid_ZeroNegativeOrOver100Million_IsInvalidArgument_AndChangesNothing()
    {
        var listing = await _auction.CreateAsync();

        var zero = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", 0));
        var negative = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", -100_00));
        var huge = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", long.MaxValue));
        var negativeMaximum = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", 100_00, -1));

        Assert.Equal("amount_cents must be more than 0 cents", zero.Message);
        Assert.Equal("amount_cents must be more than 0 cents", negative.Message);
        Assert.Equal("amount_cents is over $100,000,000.00: check the amount (it is in cents)", huge.Message);
        Assert.Equal("max_amount_cents must be 0 or more cents", negativeMaximum.Message);
        Assert.Equal(listing, await _auction.ReadAsync(listing));
    }

    [Fact]
    public async Task Bid_WithoutBidId_IsInvalidArgument()
    {
        var listing = await _auction.CreateAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", 100_00, bidId: " "));

        Assert.StartsWith("bid_id is required", refusal.Message);
    }

    [Fact]
    public async Task Bid_OnUnknownListing_IsNotFound()
    {
        var refusal = await RefusedAsync(DomainErrorKind.NotFound, () => _auction.Engine.PlaceBidAsync("D-A", "L-nope", "b-1", 100_00, 0));

        Assert.Equal("no listing L-nope", refusal.Message);
    }

    [Fact]
    public async Task GroundingDealer_MayNotBidOnItsOwnListing_PermissionDenied()
    {
        var listing = await _auction.CreateAsync();

        var refusal = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _auction.BidAsync(listing, TestAuction.GroundingDealer, 100_00));

        Assert.Contains("grounding dealer", refusal.Message);
        Assert.Empty(await _auction.EventsAsync(listing));
    }
}
