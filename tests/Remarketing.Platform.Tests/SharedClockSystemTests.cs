using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Remarketing.Platform.Tests;

/// <summary>The real system on a shared clock: a simulated start at speed 1, changed by each test as it needs.</summary>
public sealed class ClockSystemFixture : SystemOnRedisFixture
{
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private int _requests;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Clock:Epoch"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["Clock:Start"] = Start.ToString("O", CultureInfo.InvariantCulture),
        ["Clock:Speed"] = "1",
        ["Auction:CloserInterval"] = "00:00:00.100",
    };

    public Metadata Center => System.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    public ClockService.ClockServiceClient Gateway => new(System.GatewayChannel());

    public string NextRequestId() => $"clock-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}";

    public Task<ClockReading> SetAsync(double? speed = null, TimeSpan? advance = null, string? requestId = null)
    {
        var request = new SetClockRequest { RequestId = requestId ?? NextRequestId() };
        if (speed is { } newSpeed)
            request.Speed = newSpeed;
        if (advance is { } jump)
            request.Advance = Duration.FromTimeSpan(jump);
        return Gateway.SetClockAsync(request, Center).ResponseAsync;
    }

    /// <summary>The clock as one service reads it, called directly (not through the gateway).</summary>
    public Task<ClockReading> ReadAtAsync(string service) =>
        new ClockService.ClockServiceClient(System.ServiceChannel(service))
            .GetClockAsync(new GetClockRequest(), System.Tokens.Forwarded("RC-1", RoleNames.Remarketing)).ResponseAsync;

    /// <summary>Waits until every service follows the clock's <paramref name="version"/> (a PUBLISH away from the one that changed it); their readings.</summary>
    public async Task<IReadOnlyList<ClockReading>> EveryServiceFollowsAsync(long version)
    {
        ClockReading[] readings = [];
        return await Waiting.EventuallyAsync($"every service to follow clock version {version}", async () =>
        {
            readings = await Task.WhenAll(RemarketingSystem.ServiceNames.Select(ReadAtAsync));
            return readings.All(reading => reading.Version == version) ? readings : null;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50), () => $"versions {string.Join(", ", readings.Select(reading => reading.Version))}");
    }
}

/// <summary>
/// Runs after the assembly's other tests, not beside them: one more system starting on a 2-core
/// machine would slow the other systems' calls past their short gateway timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClockSystemCollection : ICollectionFixture<ClockSystemFixture>
{
    public const string Name = "clock system";
}

/// <summary>
/// One simulated time for every service, kept in Redis: changed while running through the
/// gateway, taken by a process started later, and followed by the deadlines.
/// </summary>
[Trait("Category", "System")]
[Collection(ClockSystemCollection.Name)]
public sealed class SharedClockSystemTests(ClockSystemFixture fixture)
{
    private static readonly TimeSpan Rounding = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task TwoServices_ReadTheSameSimulatedTime()
    {
        var fast = await fixture.SetAsync(speed: 1000);
        await fixture.EveryServiceFollowsAsync(fast.Version);

        var before = (await fixture.ReadAtAsync("quote")).Now.ToDateTimeOffset();
        var transport = (await fixture.ReadAtAsync("transport")).Now.ToDateTimeOffset();
        var after = (await fixture.ReadAtAsync("quote")).Now.ToDateTimeOffset();
        var paused = await fixture.SetAsync(speed: 0);
        var readings = await fixture.EveryServiceFollowsAsync(paused.Version);

        Assert.InRange(transport, before - Rounding, after + Rounding);
        Assert.True(after > before.AddSeconds(1), "at 1000 times real time, two calls a millisecond or more apart read a second or more apart");
        Assert.All(readings, reading => Assert.Equal(paused.Now, reading.Now));
        Assert.All(readings, reading => Assert.Equal(0, reading.Speed));
    }

    [Fact]
    public async Task SetClock_ThroughTheGateway_ChangesEveryService_AndWatchClockHearsIt()
    {
        using var watch = fixture.Gateway.WatchClock(new WatchClockRequest(), fixture.Center);
        var first = await NextReadingAsync(watch);

        var changed = await fixture.SetAsync(speed: 0, advance: TimeSpan.FromDays(1));
        var readings = await fixture.EveryServiceFollowsAsync(changed.Version);
        var heard = await NextReadingAsync(watch);

        Assert.True(changed.Now.ToDateTimeOffset() >= first.Now.ToDateTimeOffset().AddDays(1), "the clock moved a day on from where it stood");
        Assert.Equal(changed.Now, changed.Start);
        Assert.All(readings, reading => Assert.Equal(changed.Now, reading.Now));
        Assert.Equal((changed.Version, 0d, changed.Start), (heard.Version, heard.Speed, heard.Start));
    }

    [Fact]
    public async Task AProcessStartedLater_TakesTheRunningClock_NotItsOwnSettings()
    {
        var paused = await fixture.SetAsync(speed: 0, advance: TimeSpan.FromHours(2));
        await fixture.EveryServiceFollowsAsync(paused.Version);

        // Started again with the settings it first had: speed 1 from the fixture's start.
        await fixture.System.KillAsync("transport");
        await fixture.System.StartAgainAsync("transport");
        var late = await fixture.ReadAtAsync("transport");
        var quote = await fixture.ReadAtAsync("quote");

        Assert.Equal((paused.Version, 0d, paused.Now), (late.Version, late.Speed, late.Now));
        Assert.Equal(quote.Now, late.Now);
    }

    [Fact]
    public async Task ARepeatedRequestId_AnswersTheSameReading_AndChangesNothingMore()
    {
        var requestId = fixture.NextRequestId();
        var first = await fixture.SetAsync(speed: 0, advance: TimeSpan.FromHours(1), requestId: requestId);

        var repeat = await fixture.SetAsync(speed: 0, advance: TimeSpan.FromHours(1), requestId: requestId);
        var otherAsk = await Assert.ThrowsAsync<RpcException>(() => fixture.SetAsync(speed: 5, requestId: requestId));
        var now = await fixture.Gateway.GetClockAsync(new GetClockRequest(), fixture.Center);

        Assert.Equal(first, repeat);
        Assert.Equal(StatusCode.InvalidArgument, otherAsk.StatusCode);
        Assert.Contains("use a new request id", otherAsk.Status.Detail);
        Assert.Equal((first.Version, first.Now), (now.Version, now.Now));
    }

    [Fact]
    public async Task SetClock_ForACallerOtherThanTheRemarketingCenter_IsPermissionDenied()
    {
        var before = await fixture.SetAsync(speed: 0);
        var request = new SetClockRequest { RequestId = fixture.NextRequestId(), Speed = 100 };

        var buyer = await Assert.ThrowsAsync<RpcException>(() => fixture.Gateway.SetClockAsync(request, fixture.System.Tokens.Bearer("D-100", RoleNames.Buyer)).ResponseAsync);
        var now = await fixture.Gateway.GetClockAsync(new GetClockRequest(), fixture.Center);

        Assert.Equal(StatusCode.PermissionDenied, buyer.StatusCode);
        Assert.Equal((before.Version, 0d), (now.Version, now.Speed));
    }

    [Theory]
    [InlineData(-1d, null, "speed must be from 0 (paused) to 1,000,000")]
    [InlineData(1_000_001d, null, "speed must be from 0 (paused) to 1,000,000")]
    [InlineData(double.NaN, null, "speed must be from 0 (paused) to 1,000,000")]
    [InlineData(double.PositiveInfinity, null, "speed must be from 0 (paused) to 1,000,000")]
    [InlineData(null, -1d, "advance moves the clock forward only")]
    [InlineData(10d, -0.001, "advance moves the clock forward only")]
    [InlineData(null, 3651 * 86_400d, "at most 3,650 days")]
    [InlineData(null, null, "give speed (0 pauses the clock), advance")]
    public async Task BadSpeedOrAdvance_IsInvalidArgument_AndChangesNothing(double? speed, double? advanceSeconds, string message)
    {
        var before = await fixture.SetAsync(speed: 0);
        var advance = advanceSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.SetAsync(speed, advance));
        var now = await fixture.Gateway.GetClockAsync(new GetClockRequest(), fixture.Center);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(message, refused.Status.Detail);
        Assert.Equal((before.Version, before.Now), (now.Version, now.Now));
    }

    [Theory]
    [InlineData(0, -5)]
    [InlineData(0, -99)]
    [InlineData(-1, 0)]
    public async Task ANegativeAdvance_EvenUnderOneTick_IsInvalidArgument_AndChangesNothing(long seconds, int nanos)
    {
        // A TimeSpan counts 100 ns ticks: -5 ns used to read as zero, and bumped the clock's version.
        var before = await fixture.SetAsync(speed: 0);
        var request = new SetClockRequest { RequestId = fixture.NextRequestId(), Advance = new Duration { Seconds = seconds, Nanos = nanos } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Gateway.SetClockAsync(request, fixture.Center).ResponseAsync);
        var now = await fixture.Gateway.GetClockAsync(new GetClockRequest(), fixture.Center);

        Assert.Equal((StatusCode.InvalidArgument, "advance moves the clock forward only: give 0 or more (to slow the clock, lower its speed)"),
            (refused.StatusCode, refused.Status.Detail));
        Assert.Equal((before.Version, before.Now), (now.Version, now.Now));
    }

    [Fact]
    public async Task SetClock_WithoutARequestId_IsInvalidArgument()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.SetAsync(speed: 2, requestId: ""));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("request_id is required", refused.Status.Detail);
    }

    [Fact]
    public async Task AListing_ClosesWhenTheClockReachesItsEnd_AfterASpeedChange()
    {
        var paused = await fixture.SetAsync(speed: 0);
        await fixture.EveryServiceFollowsAsync(paused.Version);
        var listing = await CreateListingAsync(TimeSpan.FromHours(1));
        var nearlyOver = await fixture.SetAsync(advance: TimeSpan.FromMinutes(59));
        await fixture.EveryServiceFollowsAsync(nearlyOver.Version);
        var stillLive = await GetListingAsync(listing.ListingId);

        // The last minute at 360 times real time: a sixth of a second.
        var resumed = await fixture.SetAsync(speed: 360);
        var closed = await ClosedAsync(listing.ListingId);

        Assert.Equal(paused.Now.ToDateTimeOffset().AddHours(1), listing.EndsAt.ToDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(ListingState.Live, stillLive.State);
        Assert.InRange(closed.Outcome.ClosedAt.ToDateTimeOffset(), listing.EndsAt.ToDateTimeOffset(), listing.EndsAt.ToDateTimeOffset().AddHours(1));
        Assert.True(resumed.Now.ToDateTimeOffset() < listing.EndsAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task AJumpPastAListingsEnd_ClosesItAtOnce_AtTheClocksNewTime()
    {
        var paused = await fixture.SetAsync(speed: 0);
        await fixture.EveryServiceFollowsAsync(paused.Version);
        var listing = await CreateListingAsync(TimeSpan.FromHours(2));

        var jumped = await fixture.SetAsync(advance: TimeSpan.FromHours(3));
        var closed = await ClosedAsync(listing.ListingId);

        // Paused: the closer read the clock exactly where the jump left it (to the millisecond the listing keeps).
        var jumpedTo = DateTimeOffset.FromUnixTimeMilliseconds(jumped.Now.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(jumpedTo, closed.Outcome.ClosedAt.ToDateTimeOffset());
        Assert.Equal(ListingState.Unsold, closed.State);
    }

    [Fact]
    public async Task ClockControl_OutsideDevelopmentLocalAndTest_StopsTheProcessAtStart()
    {
        var settings = new Dictionary<string, string>(fixture.System.Tokens.Settings())
        {
            ["Clock:Control"] = "true",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        };

        var (exitCode, output) = await RemarketingSystem.RunUntilExitAsync("Remarketing.Gateway", settings, "Production", TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.NotEqual(-1, exitCode);
        Assert.Contains("Clock:Control is on in the Production environment", output);
    }

    private static async Task<ClockReading> NextReadingAsync(AsyncServerStreamingCall<ClockEvent> watch)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await watch.ResponseStream.MoveNext(patience.Token))
        {
            if (watch.ResponseStream.Current.KindCase == ClockEvent.KindOneofCase.Reading)
                return watch.ResponseStream.Current.Reading;
        }

        throw new InvalidOperationException("WatchClock ended");
    }

    private AuctionService.AuctionServiceClient Auction => new(fixture.System.GatewayChannel());

    private Task<Listing> CreateListingAsync(TimeSpan duration) =>
        Auction.CreateListingAsync(new CreateListingRequest
        {
            RequestId = fixture.NextRequestId(),
            Vin = TestVins.Next(),
            GroundingDealerId = "D-200",
            OpeningPriceCents = 1_000_00,
            Duration = Duration.FromTimeSpan(duration),
            Vehicle = new() { ModelYear = 2022, Make = "Toyota", Model = "Camry", Trim = "SE" },
            OdometerMiles = 28_000,
            ConditionGradeTenths = 41,
        }, fixture.Center).ResponseAsync;

    private Task<Listing> GetListingAsync(string listingId) =>
        Auction.GetListingAsync(new GetListingRequest { ListingId = listingId }, fixture.Center).ResponseAsync;

    private Task<Listing> ClosedAsync(string listingId) =>
        Waiting.EventuallyAsync($"listing {listingId} to close after its end came",
            async () => await GetListingAsync(listingId) is { State: not ListingState.Live } listing ? listing : null, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
}
