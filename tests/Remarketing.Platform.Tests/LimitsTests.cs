using Grpc.Net.Client;

namespace Remarketing.Platform.Tests;

/// <summary>Per-caller limits on reads, writes and open streams, and HTTP/2 room for a client that multiplexes.</summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public sealed class LimitsTests(SystemFixture fixture)
{
    private RemarketingSystem System => fixture.System;

    private Metadata As(string subject, string role) => System.Tokens.Bearer(subject, role);

    [Fact]
    public async Task AConnectionOpeningAndResettingStreamsRapidly_IsToldToGoAway_AnOrdinaryOneIsNot()
    {
        // The rapid-reset pattern an audit sent (2,000 streams opened and reset in 1.9 s drew no GOAWAY);
        // beside it, a client leaving 100 watch streams, as closing a page full of listings does.
        // Ten callers, each within its read burst: every stream reaches the gateway's work, and is abandoned there.
        var tokens = Enumerable.Range(1, 10).Select(n => $"Bearer {System.Tokens.For($"D-RESETS-{n}", RoleNames.Buyer)}").ToArray();
        using var ordinary = await RawWatchConnection.ConnectAsync(System.GatewayGrpcAddress, (_, _, _) => { }, (_, _) => { });
        using var rapid = await RawWatchConnection.ConnectAsync(System.GatewayGrpcAddress, (_, _, _) => { }, (_, _) => { });

        for (var i = 0; i < 100; i++)
            ordinary.ResetStream(ordinary.Open(i, "L-NO-SUCH", tokens[0]));
        for (var i = 0; i < 2_000; i++)
            rapid.ResetStream(rapid.Open(i, "L-NO-SUCH", tokens[i % tokens.Length]));
        var goAway = await rapid.GoAwayReceived.WaitAsync(TimeSpan.FromSeconds(30));
        var stillServed = await new ClockService.ClockServiceClient(System.GatewayChannel()).GetClockAsync(new GetClockRequest(), As("D-RESETS-AFTER", RoleNames.Buyer));

        Assert.Equal(0, goAway); // NO_ERROR: a graceful GOAWAY, calls in flight finish
        Assert.False(ordinary.GoAwayReceived.IsCompleted, "a client that left 100 streams was told to go away");
        Assert.NotNull(stillServed.Now);
    }

    [Fact]
    public async Task ReadsPastTheCallersBurst_AreResourceExhausted_NamingTheLimit_OtherCallersUnaffected()
    {
        var clock = new ClockService.ClockServiceClient(System.GatewayChannel());
        var reader = As($"D-READS-{Guid.NewGuid().ToString("N").ToUpperInvariant()}", RoleNames.Buyer);

        for (var i = 0; i < SystemFixture.ReadBurst; i++)
            await clock.GetClockAsync(new GetClockRequest(), reader);
        var limited = await Assert.ThrowsAsync<RpcException>(() => clock.GetClockAsync(new GetClockRequest(), reader).ResponseAsync);
        var other = await clock.GetClockAsync(new GetClockRequest(), As($"D-OTHER-{Guid.NewGuid().ToString("N").ToUpperInvariant()}", RoleNames.Buyer));

        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Contains($"bursts of {SystemFixture.ReadBurst}", limited.Status.Detail);
        Assert.NotNull(other.Now);
    }

    [Fact]
    public async Task StreamsPastTheCallersLimit_AreResourceExhausted_AndClosingOneMakesRoom()
    {
        var channel = System.GatewayChannel();
        var clock = new ClockService.ClockServiceClient(channel);
        var watcher = As($"RC-STREAMS-{Guid.NewGuid().ToString("N").ToUpperInvariant()}", RoleNames.Remarketing);
        var open = new List<AsyncServerStreamingCall<ClockEvent>>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            for (var i = 0; i < SystemFixture.StreamsPerCaller; i++)
            {
                var call = clock.WatchClock(new WatchClockRequest(), watcher);
                Assert.True(await call.ResponseStream.MoveNext(patience.Token));
                open.Add(call);
            }

            using var oneTooMany = clock.WatchClock(new WatchClockRequest(), watcher);
            var refused = await Assert.ThrowsAsync<RpcException>(() => oneTooMany.ResponseStream.MoveNext());
            open[0].Dispose();
            var afterClosing = await EventuallyOpensAsync(clock, watcher);

            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains($"at most {SystemFixture.StreamsPerCaller} open streams per caller", refused.Status.Detail);
            Assert.True(afterClosing, "no stream opened after one was closed");
        }
        finally
        {
            foreach (var call in open)
                call.Dispose();
        }
    }

    [Fact]
    public async Task StreamsWithoutAToken_AreLimitedPerNetworkAddress()
    {
        // Health's Watch is open to anyone: without a limit, one address could hold streams without end.
        var health = new Grpc.Health.V1.Health.HealthClient(System.GatewayChannel());
        var open = new List<AsyncServerStreamingCall<Grpc.Health.V1.HealthCheckResponse>>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            RpcException? refused = null;
            for (var i = 0; i < 100 && refused is null; i++)
            {
                var call = health.Watch(new Grpc.Health.V1.HealthCheckRequest());
                open.Add(call);
                try
                {
                    await call.ResponseStream.MoveNext(patience.Token);
                }
                catch (RpcException exception)
                {
                    refused = exception;
                }
            }

            Assert.Equal(StatusCode.ResourceExhausted, refused?.StatusCode);
            Assert.Contains("open streams without a token per network address", refused!.Status.Detail);
            Assert.Equal(21, open.Count);
        }
        finally
        {
            foreach (var call in open)
                call.Dispose();
        }
    }

    [Fact]
    public async Task OneConnection_CarryingHundredsOfWatchStreams_StillPlacesABid()
    {
        // One HTTP/2 connection, as grpc-js and other multiplexing clients use by default.
        using var channel = GrpcChannel.ForAddress(System.GatewayGrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false },
        });
        var auction = new AuctionService.AuctionServiceClient(channel);
        var dealer = $"D-MUX-{Guid.NewGuid().ToString("N").ToUpperInvariant()}";
        var listing = await CreateListingAsync(auction);
        var watches = new List<AsyncServerStreamingCall<ListingEvent>>();
        // A client queued behind a per-connection stream limit waits for ever: fail instead.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            for (var i = 0; i < 250; i++)
            {
                var call = auction.WatchListing(new WatchListingRequest { ListingId = listing.ListingId }, As(dealer, RoleNames.Buyer));
                Assert.True(await call.ResponseStream.MoveNext(patience.Token), $"watch stream {i + 1} did not open");
                watches.Add(call);
            }

            var bid = await auction.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = "b-1", AmountCents = 1_000_00 },
                As(dealer, RoleNames.Buyer), deadline: DateTime.UtcNow.AddSeconds(10));

            Assert.True(bid.Accepted);
        }
        finally
        {
            foreach (var call in watches)
                call.Dispose();
        }
    }

    [Fact]
    public async Task BidsOnABidStream_CountAgainstTheCallersWriteLimit()
    {
        var auction = new AuctionService.AuctionServiceClient(System.GatewayChannel());
        var listing = await CreateListingAsync(auction);
        using var stream = auction.BidStream(As($"D-STREAM-{Guid.NewGuid().ToString("N").ToUpperInvariant()}", RoleNames.Buyer));
        var answered = 0;
        RpcException? ended = null;

        try
        {
            for (var i = 0; i < SystemFixture.RateLimitBurst * 3; i++)
            {
                await stream.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = $"b-{i}", AmountCents = 1_000_00 + (i * 1_000_00) });
                bool more;
                while ((more = await stream.ResponseStream.MoveNext()) && stream.ResponseStream.Current.Heartbeat is not null)
                {
                    // Heartbeats while idle; the bid's answer follows.
                }
                if (!more)
                    break;
                answered++;
            }
        }
        catch (RpcException exception)
        {
            ended = exception;
        }

        // The Auction service counts each bid on the stream against the caller's burst.
        Assert.Equal(StatusCode.ResourceExhausted, ended?.StatusCode);
        Assert.Contains("state-changing calls", ended!.Status.Detail);
        Assert.Equal(SystemFixture.RateLimitBurst, answered);
    }

    private Task<Listing> CreateListingAsync(AuctionService.AuctionServiceClient auction) =>
        auction.CreateListingAsync(new CreateListingRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Vin = TestVins.Next(),
            GroundingDealerId = "D-GROUND",
            OpeningPriceCents = 1_000_00,
        }, As($"RC-{Guid.NewGuid().ToString("N").ToUpperInvariant()}", RoleNames.Remarketing)).ResponseAsync;

    private static async Task<bool> EventuallyOpensAsync(ClockService.ClockServiceClient clock, Metadata watcher)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var call = clock.WatchClock(new WatchClockRequest(), watcher);
            try
            {
                if (await call.ResponseStream.MoveNext())
                    return true;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.ResourceExhausted)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }
}
