namespace Remarketing.Auction.Tests;

/// <summary>
/// A listing's state agrees with its indexes and its vehicle's claim, and one whose do not is
/// neither bid on, bought nor closed (sold) until an operator looks; it may be withdrawn.
/// </summary>
[Collection(RedisCollection.Name)]
public class HeldListingTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    private ListingInvariants Invariants => new(redis.Connection);

    [Fact]
    public async Task ListingsAsTheEngineLeavesThem_Live_Sold_Unsold_Withdrawn_KeepEveryInvariant()
    {
        var live = await _auction.CreateAsync(buyNow: 9_000_00);
        var sold = await _auction.CreateAsync(buyNow: 9_000_00);
        await _auction.Engine.BuyNowAsync("D-B", sold.ListingId, "buy-1");
        var withdrawn = await _auction.CreateAsync();
        await _auction.Engine.CloseEarlyAsync(TestAuction.Center, withdrawn.ListingId, "close-1", "keys missing", withdraw: true);
        var unsold = await _auction.CreateAsync(window: TimeSpan.FromHours(1));
        _auction.Clock.Advance(TimeSpan.FromHours(2));
        await _auction.Engine.CloseDueListingsAsync();

        var breaches = await Invariants.CheckAsync([live.ListingId, sold.ListingId, withdrawn.ListingId, unsold.ListingId]);

        Assert.Empty(breaches);
        Assert.Equal(ListingStatus.Unsold, (await _auction.ReadAsync(unsold)).Status);
    }

    [Fact]
    public async Task AListingWhoseCloseWasLost_IsReported_WithWhatDisagrees()
    {
        var listing = await LostCloseAsync();

        var breaches = await Invariants.CheckAsync([listing.ListingId]);

        Assert.Equal(
            [
                "listing " + listing.ListingId + ": live but not in the closing index: it would never close",
                "listing " + listing.ListingId + ": live but not in the live index: the market does not show it",
                "listing " + listing.ListingId + ": live but in the closed index",
                "listing " + listing.ListingId + $": live but VIN {listing.Vin} is claimed by no listing: it could be listed, and sold, again",
            ],
            breaches.Select(breach => breach.ToString()));
    }

    [Fact]
    public async Task AListingWhoseCloseWasLost_TakesNoBid_IsNotBought_NorClosed_ButMayBeWithdrawn()
    {
        var listing = await LostCloseAsync();

        var bid = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.BidAsync(listing, "D-A", 100_00));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.BuyNowAsync("D-B", listing.ListingId, "buy-1"));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-2", "sell it", withdraw: false));
        var stillLive = await _auction.ReadAsync(listing);
        var withdrawn = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-3", "its close was lost", withdraw: true);

        Assert.Equal(
            $"listing {listing.ListingId} takes no bid: it is held for the remarketing center because its records disagree " +
            "(live but not in the closing index: it would never close); the doctor lists such listings",
            bid.Message);
        Assert.Equal((ListingStatus.Live, 0), (stillLive.Status, stillLive.BidCount));
        Assert.Equal(ListingStatus.Withdrawn, withdrawn.Status);
        Assert.Empty(await Invariants.CheckAsync([listing.ListingId]));
    }

    [Fact]
    public async Task ALiveListingWhoseVehicleIsClaimedByAnother_IsNotSoldAtItsEnd_AndIsReported()
    {
        var listing = await _auction.CreateAsync(window: TimeSpan.FromHours(1));
        await _auction.BidAsync(listing, "D-A", 100_00);
        await redis.Connection.GetDatabase().StringSetAsync(AuctionKeys.VehicleClaim(listing.Vin), "L-OTHER 1");
        _auction.Clock.Advance(TimeSpan.FromHours(2));

        await _auction.Engine.CloseDueListingsAsync();
        var breaches = await Invariants.CheckAsync([listing.ListingId]);

        Assert.Equal(ListingStatus.Live, (await _auction.ReadAsync(listing)).Status);
        Assert.Contains(breaches, breach => breach.Problem == $"live but VIN {listing.Vin} is claimed by listing L-OTHER: the same car could be sold twice");
        Assert.True(await redis.Connection.GetDatabase().SortedSetScoreAsync(AuctionKeys.Closing, listing.ListingId) is not null, "left to close once an operator has looked");
    }

    [Fact]
    public async Task AnEndedListingStillHoldingItsVehicle_OrMissingFromTheClosedIndex_IsReported()
    {
        var listing = await _auction.CreateAsync();
        await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "keys missing", withdraw: true);
        var database = redis.Connection.GetDatabase();
        await database.StringSetAsync(AuctionKeys.VehicleClaim(listing.Vin), $"{listing.ListingId} 1");
        await database.SortedSetRemoveAsync(AuctionKeys.Closed, listing.ListingId);

        var breaches = await Invariants.CheckAsync([listing.ListingId]);

        Assert.Equal(
            ["withdrawn but not in the closed index", $"withdrawn but still holds VIN {listing.Vin}'s claim: the car cannot be listed again"],
            breaches.Select(breach => breach.Problem));
    }

    /// <summary>
    /// What a Redis that lost the close's transaction on restart left (the listing's hash back at
    /// live, its indexes and claim as the close's single writes left them): withdrawn, then its
    /// status written back to live.
    /// </summary>
    private async Task<ListingRecord> LostCloseAsync()
    {
        var listing = await _auction.CreateAsync(buyNow: 9_000_00);
        await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "keys missing", withdraw: true);
        await redis.Connection.GetDatabase().HashSetAsync(AuctionKeys.State(listing.ListingId), ListingSchema.Field.Status, ListingSchema.Status.Live);
        return listing;
    }
}
