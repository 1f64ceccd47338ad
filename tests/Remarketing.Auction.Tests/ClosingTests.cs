namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: soft close, and closing exactly once at the end, even with several Auction instances.</summary>
[Collection(RedisCollection.Name)]
public class ClosingTests(RedisConnectionFixture redis)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task SoftClose_BidInTheLast3Minutes_MovesTheEndToNowPlus3Minutes()
    {
        var listing = await _auction.CreateAsync(window: Hour);
        _auction.Clock.Advance(TimeSpan.FromMinutes(58));

        var answer = await _auction.BidAsync(listing, "D-A", 100_00);

        var expectedEnd = TestAuction.Start + TimeSpan.FromMinutes(61);
        Assert.Equal(expectedEnd, answer.EndsAt);
        Assert.Equal(expectedEnd, (await _auction.ReadAsync(listing)).EndsAt);
        var extension = (await _auction.EventsAsync(listing))[^1];
        Assert.Equal((EventKind.Extension, expectedEnd, answer.Sequence), (extension.Kind, extension.NewEnd, extension.Sequence));
    }

    [Fact]
    public async Task SoftClose_BidBeforeTheLast3Minutes_LeavesTheEnd()
    {
        var listing = await _auction.CreateAsync(window: Hour);
        _auction.Clock.Advance(TimeSpan.FromMinutes(57));

        var answer = await _auction.BidAsync(listing, "D-A", 100_00);

        Assert.Equal(listing.EndsAt, answer.EndsAt);
        Assert.Single(await _auction.EventsAsync(listing));
    }

    [Fact]
    public async Task SoftClose_IsConfigurable()
    {
        var auction = new TestAuction(redis.Connection, options => options.SoftClose = TimeSpan.FromMinutes(10));
        var listing = await auction.CreateAsync(window: Hour);
        auction.Clock.Advance(TimeSpan.FromMinutes(55));

        var answer = await auction.BidAsync(listing, "D-A", 100_00);

        Assert.Equal(TestAuction.Start + TimeSpan.FromMinutes(65), answer.EndsAt);
    }

    [Fact]
    public async Task SoftClose_Zero_IsAHardCloseAtTheEndOfTheWindow()
    {
        var auction = new TestAuction(redis.Connection, options => options.SoftClose = TimeSpan.Zero);
        var listing = await auction.CreateAsync(window: Hour);
        auction.Clock.Advance(Hour - TimeSpan.FromMilliseconds(1));

        var lastMoment = await auction.BidAsync(listing, "D-A", 100_00);
        auction.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var atTheEnd = await auction.BidAsync(listing, "D-B", 200_00);

        Assert.Equal((true, listing.EndsAt), (lastMoment.Accepted, lastMoment.EndsAt));
        Assert.Equal((false, BidRejection.ListingClosed), (atTheEnd.Accepted, atTheEnd.Rejection));
        Assert.Single(await auction.EventsAsync(listing));
    }

    [Fact]
    public async Task Close_AtTheEnd_SoldWithAProofOfSale_OnTheLogAndInTheResults()
    {
        var listing = await _auction.CreateAsync(window: Hour, floor: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_200_00);
        _auction.Clock.Advance(Hour);

        Assert.True(await _auction.Engine.CloseDueListingsAsync() >= 1);

        var closed = await _auction.ReadAsync(listing);
        Assert.Equal((ListingStatus.Sold, 1_200_00L, "D-A", TestAuction.Start + Hour), (closed.Status, closed.SalePriceCents, closed.BuyerDealerId, closed.ClosedAt));
        Assert.Matches("^POS-[0-9A-F]{20}$", closed.ProofOfSaleId);
        var close = (await _auction.EventsAsync(listing))[^1];
        Assert.Equal((EventKind.Close, ListingStatus.Sold, 1_200_00L, "D-A"), (close.Kind, close.Status, close.PriceCents, close.Winner));
        var (results, _) = await _auction.Engine.ListResultsAsync(200, "");
        Assert.Contains(results, result => result.ListingId == listing.ListingId && result.ProofOfSaleId == closed.ProofOfSaleId);
        var pickup = Assert.Single(await _auction.HandedOffAsync<CreatePickupRequest>(listing, "CreatePickup"));
        Assert.Equal((PickupKind.Buyer, "D-A", closed.ProofOfSaleId), (pickup.Kind, pickup.BuyerDealerId, pickup.ProofOfSaleId));
        var result = Assert.Single(await _auction.HandedOffAsync<RecordAuctionResultRequest>(listing, "RecordAuctionResult"));
        Assert.Equal((true, 1_200_00L), (result.Sold, result.SalePriceCents));
    }

    [Fact]
    public async Task Close_NotBeforeTheEnd_AndNotAtTheOriginalEndAfterASoftClose()
    {
        var listing = await _auction.CreateAsync(window: Hour);
        _auction.Clock.Advance(Hour - TimeSpan.FromMinutes(1));
        await _auction.BidAsync(listing, "D-A", 100_00);
        await _auction.Engine.CloseDueListingsAsync();
        _auction.Clock.Advance(TimeSpan.FromMinutes(1));

        await _auction.Engine.CloseDueListingsAsync();
        var atOriginalEnd = (await _auction.ReadAsync(listing)).Status;
        _auction.Clock.Advance(TimeSpan.FromMinutes(2));
        await _auction.Engine.CloseDueListingsAsync();

        Assert.Equal(ListingStatus.Live, atOriginalEnd);
        Assert.Equal(ListingStatus.Sold, (await _auction.ReadAsync(listing)).Status);
    }

    [Fact]
    public async Task Close_ExactlyOnce_WithTwoAuctionInstancesOnOneRedis()
    {
        var listings = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => _auction.CreateAsync(window: Hour + TimeSpan.FromSeconds(i))));
        foreach (var listing in listings.Take(20))
            await _auction.BidAsync(listing, "D-A", 500_00);
        _auction.Clock.Advance(Hour + TimeSpan.FromMinutes(1));
        await using var secondConnection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var first = _auction.Engine;
        var second = _auction.AnotherInstance(secondConnection);

        var closedBy = await Task.WhenAll(Enumerable.Range(0, 6).Select(round => Task.Run(() => (round % 2 == 0 ? first : second).CloseDueListingsAsync())));

        var ours = listings.Select(listing => listing.ListingId).ToHashSet();
        foreach (var listing in listings)
        {
            var closes = (await _auction.EventsAsync(listing)).Count(e => e.Kind == EventKind.Close);
            Assert.Equal(1, closes);
            Assert.NotEqual(ListingStatus.Live, (await _auction.ReadAsync(listing)).Status);
            Assert.Single(await _auction.HandedOffAsync<RecordAuctionResultRequest>(listing, "RecordAuctionResult"));
        }

        // Other tests' listings may close in the same calls; ours are each counted once.
        Assert.True(closedBy.Sum() >= listings.Length);
        Assert.All(listings, listing => Assert.Null(redis.Connection.GetDatabase().SortedSetScore(AuctionKeys.Closing, listing.ListingId)));
    }

    [Fact]
    public async Task AClose_FinishedAgainAfterACrash_PublishesItsOutcomeOnce()
    {
        var listing = await _auction.CreateAsync(window: Hour, floor: 100_00);
        await _auction.BidAsync(listing, "D-A", 500_00);
        _auction.Clock.Advance(Hour);
        await _auction.Engine.CloseDueListingsAsync();
        // As if an instance died after publishing but before taking the listing off the closer's work list.
        await redis.Connection.GetDatabase().SortedSetAddAsync(AuctionKeys.Closing, listing.ListingId, 0);

        await _auction.AnotherInstance(redis.Connection).CloseDueListingsAsync();

        Assert.Single(await _auction.HandedOffAsync<RecordAuctionResultRequest>(listing, "RecordAuctionResult"));
        Assert.Null(await redis.Connection.GetDatabase().SortedSetScoreAsync(AuctionKeys.Closing, listing.ListingId));
    }

    [Fact]
    public async Task CloseEarly_Withdraw_NeverSold_WithTheReason()
    {
        var listing = await _auction.CreateAsync(floor: 100_00);
        await _auction.BidAsync(listing, "D-A", 500_00);

        var withdrawn = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "title problem found", withdraw: true);

        Assert.Equal((ListingStatus.Withdrawn, "title problem found", "", 0L), (withdrawn.Status, withdrawn.Reason, withdrawn.BuyerDealerId, withdrawn.SalePriceCents));
        Assert.Equal(BidRejection.ListingClosed, (await _auction.BidAsync(listing, "D-B", 600_00)).Rejection);
    }

    [Fact]
    public async Task CloseEarly_Close_SellsWhenTheFloorIsMet()
    {
        var listing = await _auction.CreateAsync(floor: 100_00);
        await _auction.BidAsync(listing, "D-A", 500_00);

        var closed = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "seller accepted the high bid", withdraw: false);

        Assert.Equal((ListingStatus.Sold, 500_00L, "D-A"), (closed.Status, closed.SalePriceCents, closed.BuyerDealerId));
    }

    [Fact]
    public async Task CloseEarly_Retried_ReturnsTheListing_ButAnotherCloseIsFailedPrecondition()
    {
        var listing = await _auction.CreateAsync();
        var first = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "damage", withdraw: true);

        var retry = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", "damage", withdraw: true);
        var another = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-2", "again", withdraw: false));

        Assert.Equal(first, retry);
        Assert.Equal($"listing {listing.ListingId} has already ended (withdrawn)", another.Message);
        Assert.Single(await _auction.EventsAsync(listing));
    }

    [Fact]
    public async Task CloseEarly_WithoutReasonOrRequestId_IsInvalidArgument_UnknownIsNotFound()
    {
        var listing = await _auction.CreateAsync();

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "close-1", " ", withdraw: true));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CloseEarlyAsync(TestAuction.Center, listing.ListingId, "", "damage", withdraw: true));
        await RefusedAsync(DomainErrorKind.NotFound, () => _auction.Engine.CloseEarlyAsync(TestAuction.Center, "L-nope", "close-1", "damage", withdraw: true));
        Assert.Equal(ListingStatus.Live, (await _auction.ReadAsync(listing)).Status);
    }
}
