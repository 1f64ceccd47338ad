namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: listings open for a window of up to 6 days; VINs are check-digit validated.</summary>
[Collection(RedisCollection.Name)]
public class ListingTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task Window_Unset_Is6Days_FromTheSharedClock()
    {
        var listing = await _auction.CreateAsync();

        Assert.Equal((TestAuction.Start, TestAuction.Start + TimeSpan.FromDays(6)), (listing.OpensAt, listing.EndsAt));
        Assert.Equal(ListingStatus.Live, listing.Status);
    }

    [Fact]
    public async Task Window_Exactly6Days_IsAccepted_OneMillisecondMoreIsInvalidArgument()
    {
        var sixDays = await _auction.CreateAsync(window: TimeSpan.FromDays(6));
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(window: TimeSpan.FromDays(6) + TimeSpan.FromMilliseconds(1)));

        Assert.Equal(TestAuction.Start + TimeSpan.FromDays(6), sixDays.EndsAt);
        Assert.Equal("duration 6.00:00:00.0010000 is longer than the 6 days a listing may be open", refusal.Message);
    }

    [Fact]
    public async Task Window_ZeroOrNegative_IsInvalidArgument()
    {
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(window: TimeSpan.Zero));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(window: TimeSpan.FromHours(-1)));
    }

    [Theory]
    [InlineData("1HGCV1F35PA100000", "VIN 1HGCV1F35PA100000 fails its check digit: position 9 should be '0'")]
    [InlineData("1HGCV1F3", "a VIN has 17 characters; '1HGCV1F3' has 8")]
    [InlineData("1HGCV1F3OPA100000", "'O' at position 9 cannot stand in a VIN (letters I, O and Q never do)")]
    [InlineData("", "a VIN is required")]
    public async Task BadVin_IsInvalidArgument_NamingTheProblem(string vin, string message)
    {
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CreateListingAsync("rm", TestAuction.Listing(vin: vin)));

        Assert.Equal(message, refusal.Message);
    }

    [Fact]
    public void TestVins_AreValid_AndAKnownGoodVinPasses()
    {
        Assert.Null(ServiceDefaults.Domain.Vin.Problem("1M8GDM9AXKP042788"));
        Assert.Null(ServiceDefaults.Domain.Vin.Problem(TestVins.Next()));
    }

    [Fact]
    public async Task BadAmountsOrMissingFields_AreInvalidArgument()
    {
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(floor: -1));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(floor: 100_000_000_01));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.CreateAsync(floor: 9_000_00, buyNow: 8_000_00));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CreateListingAsync("rm", TestAuction.Listing(requestId: "")));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CreateListingAsync("rm", TestAuction.Listing() with { GroundingDealerId = "" }));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CreateListingAsync("rm", TestAuction.Listing() with { ConditionGradeTenths = 51 }));
    }

    [Fact]
    public async Task CreateListing_RetriedWithTheSameRequestId_ReturnsTheFirstListing()
    {
        var request = TestAuction.Listing(floor: 5_000_00);
        var first = await _auction.Engine.CreateListingAsync("rm", request);
        _auction.Clock.Advance(TimeSpan.FromMinutes(5));

        var retry = await _auction.Engine.CreateListingAsync("rm", request);

        Assert.Equal(first, retry);
    }

    [Fact]
    public async Task CreateListing_RequestIdReusedForOtherContent_IsInvalidArgument()
    {
        var request = TestAuction.Listing(floor: 5_000_00);
        var first = await _auction.Engine.CreateListingAsync("rm", request);

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.CreateListingAsync("rm", request with { FloorPriceCents = 4_000_00 }));

        Assert.Contains("already created listing " + first.ListingId, refusal.Message);
        Assert.Equal(5_000_00, (await _auction.ReadAsync(first)).FloorPriceCents);
    }

    [Fact]
    public async Task CreateListing_SameRequestIdFromAnotherCaller_IsAnotherListing()
    {
        var request = TestAuction.Listing();

        var mine = await _auction.Engine.CreateListingAsync("rm-1", request);
        var theirs = await _auction.Engine.CreateListingAsync("rm-2", request with { Vin = TestVins.Next() });

        Assert.NotEqual(mine.ListingId, theirs.ListingId);
    }

    [Fact]
    public async Task AVehicle_IsOnOneLiveListingAtATime_AndListedAgainOnceThatOneEnds()
    {
        var request = TestAuction.Listing(window: TimeSpan.FromHours(1));
        var first = await _auction.Engine.CreateListingAsync("rm-1", request);
        var vin = first.Vin;

        var again = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.CreateListingAsync("rm-2", TestAuction.Listing(vin: vin)));
        var retry = await _auction.Engine.CreateListingAsync("rm-1", request);
        _auction.Clock.Advance(TimeSpan.FromHours(1));
        await _auction.Engine.CloseDueListingsAsync();
        var relisted = await _auction.Engine.CreateListingAsync("rm-2", TestAuction.Listing(vin: vin));

        Assert.Contains($"VIN {vin} is on live listing {first.ListingId}", again.Message);
        Assert.Equal(first.ListingId, retry.ListingId);
        Assert.Equal(vin, relisted.Vin);
        Assert.NotEqual(first.ListingId, relisted.ListingId);
    }

    [Fact]
    public async Task AnAttemptCutShortBeforeOpening_KeepsTheClaim_ForTheRetryThatOpensTheListing()
    {
        // Two deliveries of one request: the first loses its call to the case's owner (the owner's
        // instance killed, or its caller gone) while the second is approved and opens the listing.
        var request = TestAuction.Listing(window: TimeSpan.FromHours(1));
        var secondIsAsking = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _auction.Engine.CreateListingAsync("rm-1", request, async _ =>
        {
            await secondIsAsking.Task;
            throw new RpcException(new Status(StatusCode.Unavailable, "Quote could not be asked"));
        });
        var opened = await _auction.Engine.CreateListingAsync("rm-1", request, async _ =>
        {
            secondIsAsking.SetResult();
            await Assert.ThrowsAsync<RpcException>(() => first);
        });

        var otherListing = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.CreateListingAsync("rm-2", TestAuction.Listing(vin: opened.Vin)));
        Assert.Contains($"VIN {opened.Vin} is on live listing {opened.ListingId}", otherListing.Message);
        Assert.Empty(await new ListingInvariants(redis.Connection).CheckAsync([opened.ListingId]));
    }

    [Fact]
    public async Task ARefusalBeforeOpening_ReleasesTheClaim()
    {
        var request = TestAuction.Listing(window: TimeSpan.FromHours(1));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _auction.Engine.CreateListingAsync("rm-1", request,
            _ => throw DomainException.FailedPrecondition("the case is sold to its dealer")));

        var relisted = await _auction.Engine.CreateListingAsync("rm-2", TestAuction.Listing(vin: request.Vin));

        Assert.Equal(request.Vin, relisted.Vin);
    }

    [Fact]
    public async Task TwoCreatesForOneVehicleAtOnce_MakeOneLiveListing()
    {
        var vin = TestVins.Next();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await _auction.Engine.CreateListingAsync($"rm-{i}", TestAuction.Listing(vin: vin))).ListingId;
            }
            catch (DomainException)
            {
                return null;
            }
        })));

        Assert.Single(attempts, id => id is not null);
    }

    [Fact]
    public async Task GetListing_Unknown_IsNotFound()
    {
        var refusal = await RefusedAsync(DomainErrorKind.NotFound, () => _auction.Engine.GetListingAsync("L-0000"));

        Assert.Equal("no listing L-0000", refusal.Message);
    }

    [Fact]
    public async Task ListListings_PagesLiveListingsNewestFirst_AndClosedOnesApart()
    {
        var created = new List<ListingRecord>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await _auction.CreateAsync());
            _auction.Clock.Advance(TimeSpan.FromDays(30));
        }

        await _auction.Engine.CloseEarlyAsync(TestAuction.Center, created[2].ListingId, "close-1", "recalled", withdraw: true);

        var seen = new List<string>();
        var token = "";
        do
        {
            var (page, next) = await _auction.Engine.ListAsync(ListingStatus.Live, 2, token);
            Assert.True(page.Count <= 2);
            seen.AddRange(page.Select(listing => listing.ListingId));
            token = next;
        }
        while (token.Length > 0);
        var (withdrawn, _) = await _auction.Engine.ListAsync(ListingStatus.Withdrawn, 50, "");

        var ours = created.Select(listing => listing.ListingId).ToHashSet();
        Assert.Equal([created[4].ListingId, created[3].ListingId, created[1].ListingId, created[0].ListingId], seen.Where(ours.Contains));
        Assert.Contains(withdrawn, listing => listing.ListingId == created[2].ListingId);
    }

    [Fact]
    public async Task ListListings_BadPageSizeOrToken_IsInvalidArgument()
    {
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.ListAsync(ListingStatus.Live, 201, ""));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.Engine.ListAsync(ListingStatus.Live, 10, "abc"));
    }
}
