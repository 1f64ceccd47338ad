namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: the floor (reserve) and buy now.</summary>
[Collection(RedisCollection.Name)]
public class FloorAndBuyNowTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task Floor_LeadingMaximumReachesIt_PriceJumpsToTheFloor()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00);

        var answer = await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 6_000_00);

        Assert.Equal((5_000_00L, true), (answer.CurrentPriceCents, answer.FloorMet));
        Assert.True((await _auction.EventsAsync(listing))[0].Proxy);
    }

    [Fact]
    public async Task Floor_HighBidderRaisingItsMaximumToTheFloor_MovesThePriceToTheFloor()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 2_000_00);

        var raise = await _auction.BidAsync(listing, "D-A", 1_050_00, maximum: 5_000_00);

        Assert.Equal((5_000_00L, true), (raise.CurrentPriceCents, raise.FloorMet));
    }

    [Fact]
    public async Task Floor_NotReached_PriceStays_AndFloorNotMet()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00);

        var answer = await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 4_999_99);

        Assert.Equal((1_000_00L, false), (answer.CurrentPriceCents, answer.FloorMet));
    }

    [Fact]
    public async Task Floor_ListingEndsSoldOnlyAtOrAboveTheFloor()
    {
        var below = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00, window: TimeSpan.FromHours(1));
        var at = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00, window: TimeSpan.FromHours(1));
        var noBids = await _auction.CreateAsync(opening: 1_000_00, floor: 0, window: TimeSpan.FromHours(1));
        await _auction.BidAsync(below, "D-A", 4_999_00);
        await _auction.BidAsync(at, "D-A", 5_000_00);

        _auction.Clock.Advance(TimeSpan.FromHours(1));
        await _auction.Engine.CloseDueListingsAsync();

        Assert.Equal(ListingStatus.Unsold, (await _auction.ReadAsync(below)).Status);
        Assert.Equal((ListingStatus.Sold, 5_000_00L, "D-A"), ((await _auction.ReadAsync(at)).Status, (await _auction.ReadAsync(at)).SalePriceCents, (await _auction.ReadAsync(at)).BuyerDealerId));
        Assert.Equal(ListingStatus.Unsold, (await _auction.ReadAsync(noBids)).Status);
    }

    [Fact]
    public async Task BuyNow_EndsTheListingAtOnceAtTheBuyNowPrice()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00, floor: 5_000_00, buyNow: 8_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 7_000_00);

        var (sold, proof) = await _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1");

        Assert.Equal((ListingStatus.Sold, 8_000_00L, "D-B", proof), (sold.Status, sold.SalePriceCents, sold.BuyerDealerId, sold.ProofOfSaleId));
        Assert.Matches("^POS-[0-9A-F]{20}$", proof);
        var close = (await _auction.EventsAsync(listing))[^1];
        Assert.Equal((EventKind.Close, ListingStatus.Sold, 8_000_00L), (close.Kind, close.Status, close.PriceCents));
        Assert.Equal(BidRejection.ListingClosed, (await _auction.BidAsync(listing, "D-A", 9_000_00)).Rejection);
    }

    [Fact]
    public async Task BuyNow_Retried_ReturnsTheSameProofOfSale()
    {
        var listing = await _auction.CreateAsync(buyNow: 8_000_00);

        var (_, first) = await _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1");
        var (_, retry) = await _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1");

        Assert.Equal(first, retry);
        Assert.Single(await _auction.EventsAsync(listing));
    }

    [Fact]
    public async Task BuyNow_OnceThePriceHasReachedIt_IsFailedPrecondition()
    {
        var listing = await _auction.CreateAsync(opening: 7_000_00, buyNow: 8_000_00);
        await _auction.BidAsync(listing, "D-A", 8_000_00);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1"));

        Assert.Equal($"the price of listing {listing.ListingId} ($8,000.00) has reached its buy-now price: bid instead", refusal.Message);
    }

    [Fact]
    public async Task BuyNow_WithoutABuyNowPrice_IsFailedPrecondition()
    {
        var listing = await _auction.CreateAsync();

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1"));
    }

    [Fact]
    public async Task BuyNow_ByTheGroundingDealer_IsPermissionDenied()
    {
        var listing = await _auction.CreateAsync(buyNow: 8_000_00);

        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _auction.Engine.BuyNowAsync(TestAuction.GroundingDealer, listing.ListingId, "buy-1"));
        Assert.Equal(ListingStatus.Live, (await _auction.ReadAsync(listing)).Status);
    }

    [Fact]
    public async Task BuyNow_AfterTheEnd_IsFailedPrecondition()
    {
        var listing = await _auction.CreateAsync(buyNow: 8_000_00, window: TimeSpan.FromHours(1));
        _auction.Clock.Advance(TimeSpan.FromHours(1));

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1"));
    }
}
