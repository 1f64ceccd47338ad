using System.IO.Compression;
using Grpc.Net.Client;
using Grpc.Net.Compression;
using Remarketing.Contracts.Auction.V1;
using static Remarketing.Contracts.Auction.V1.ListingEvent;
using BidRejection = Remarketing.Contracts.Auction.V1.BidRejection;

namespace Remarketing.Auction.Tests;

/// <summary>The streams through the real gateway: order, resume, aliases, secrecy, the market and my-bids feeds.</summary>
[Trait("Category", "System")]
[Collection(AuctionSystemCollection.Name)]
public class AuctionStreamTests(AuctionSystemFixture system)
{
    private AuctionService.AuctionServiceClient Client => system.Client;

    private StreamRecorder<ListingEvent> Watch(Listing listing, Metadata caller, long afterSequence = 0) =>
        new(Client.WatchListing(new WatchListingRequest { ListingId = listing.ListingId, AfterSequence = afterSequence }, caller));

    [Fact]
    public async Task WatchListing_SnapshotFirst_ThenEveryEventInOrder_UnderAliases()
    {
        var listing = await system.CreateListingAsync();
        await using var watcher = Watch(listing, system.Buyer("D-WATCH"));
        var snapshot = await watcher.NextAsync(_ => true);

        await system.BidAsync(listing, "D-A", 1_000_00);
        await system.BidAsync(listing, "D-B", 1_050_00);
        await system.BidAsync(listing, "D-A", 1_100_00);
        await watcher.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced);

        Assert.Equal((KindOneofCase.Snapshot, 0L), (snapshot.KindCase, snapshot.Sequence));
        var bids = watcher.All.Where(e => e.KindCase == KindOneofCase.BidPlaced).ToList();
        Assert.Equal([1L, 2L, 3L], bids.Select(e => e.Sequence));
        Assert.Equal(["Bidder 1", "Bidder 2", "Bidder 1"], bids.Select(e => e.BidPlaced.BidderAlias));
        Assert.Equal([1_000_00L, 1_050_00L, 1_100_00L], bids.Select(e => e.BidPlaced.CurrentPriceCents));
        Assert.DoesNotContain(watcher.All, e => e.ToString().Contains("D-A") || e.ToString().Contains("D-B"));
    }

    [Fact]
    public async Task WatchListing_LiveEvents_EncodedOncePerView_TellOnlyTheLeaderItLeads()
    {
        var listing = await system.CreateListingAsync();
        await using var a = Watch(listing, system.Buyer("D-A"));
        await using var b = Watch(listing, system.Buyer("D-B"));
        await using var other = Watch(listing, system.Buyer("D-OTHER"));
        foreach (var watcher in new[] { a, b, other })
            await watcher.NextAsync(e => e.KindCase == KindOneofCase.Snapshot);

        await system.BidAsync(listing, "D-A", 1_000_00);
        await system.BidAsync(listing, "D-B", 1_050_00);
        await system.BidAsync(listing, "D-A", 1_100_00);
        foreach (var watcher in new[] { a, b, other })
            await watcher.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced);

        bool[] Leads(StreamRecorder<ListingEvent> watcher) =>
            [.. watcher.All.Where(e => e.KindCase == KindOneofCase.BidPlaced).Select(e => e.BidPlaced.CallerIsHighBidder)];
        Assert.Equal([true, false, true], Leads(a));
        Assert.Equal([false, true, false], Leads(b));
        Assert.Equal([false, false, false], Leads(other));
    }

    [Fact]
    public async Task WatchListing_ManyWatchers_SomeJoiningWhileBidsArrive_EachGetsEveryEventOnce_InOrder()
    {
        // The gateway serves them from one relay per listing; watchers that open mid-stream read
        // their backlog from their own call, then join the relay without a gap or a repeat.
        const int Bids = 40;
        var listing = await system.CreateListingAsync();
        var watchers = new List<StreamRecorder<ListingEvent>>();
        for (var i = 0; i < 20; i++)
            watchers.Add(Watch(listing, system.Buyer($"D-MANY-{i}")));
        await Task.WhenAll(watchers.Select(watcher => watcher.NextAsync(e => e.KindCase == KindOneofCase.Snapshot)));

        var bidding = Task.Run(async () =>
        {
            var amount = 1_000_00L;
            for (var n = 0; n < Bids; n++)
            {
                var answer = await system.BidAsync(listing, n % 2 == 0 ? "D-MANY-A" : "D-MANY-B", amount);
                amount = answer.MinimumNextBidCents;
            }
        });
        for (var i = 0; i < 20; i++)
        {
            watchers.Add(Watch(listing, system.Buyer($"D-LATE-{i}"), afterSequence: 0));
            await Task.Delay(15);
        }

        await bidding;
        foreach (var watcher in watchers)
            await watcher.NextAsync(e => e.Sequence == Bids && e.KindCase == KindOneofCase.BidPlaced);
        foreach (var watcher in watchers)
        {
            Assert.Equal(Enumerable.Range(1, Bids).Select(s => (long)s),
                watcher.All.Where(e => e.KindCase == KindOneofCase.BidPlaced).Select(e => e.Sequence));
            await watcher.DisposeAsync();
        }
    }

    [Fact]
    public async Task RelayListing_IsTheGatewaysAlone()
    {
        var listing = await system.CreateListingAsync();
        var request = new RelayListingRequest { ListingId = listing.ListingId };

        await using var buyer = new StreamRecorder<RelayedListingEvent>(Client.RelayListing(request, system.Buyer("D-RELAY")));
        var direct = new AuctionService.AuctionServiceClient(system.System.ServiceChannel("auction"));
        await using var quote = new StreamRecorder<RelayedListingEvent>(direct.RelayListing(request, system.System.Tokens.Service("quote")));

        Assert.Equal(StatusCode.PermissionDenied, (await buyer.EndAsync()).StatusCode);
        var notTheGateway = await quote.EndAsync();
        Assert.Equal((StatusCode.PermissionDenied, "the quote service may not call remarketing.auction.v1.AuctionService/RelayListing; services allowed: gateway"),
            (notTheGateway.StatusCode, notTheGateway.Status.Detail));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task WatchListing_WithACompressedRequest_IsServedAsAnyOther(string encoding)
    {
        // The gateway reads WatchListing's request itself: a client that compresses its requests is read with its grpc-encoding.
        var listing = await system.CreateListingAsync();
        await system.BidAsync(listing, "D-A", 1_000_00);
        using var compressing = GrpcChannel.ForAddress(system.System.GatewayGrpcAddress, new GrpcChannelOptions
        {
            CompressionProviders = [new GzipCompressionProvider(CompressionLevel.Fastest), new DeflateCompressionProvider(CompressionLevel.Fastest)],
        });
        var caller = system.Buyer("D-COMPRESSING");
        caller.Add("grpc-internal-encoding-request", encoding);

        await using var watcher = new StreamRecorder<ListingEvent>(new AuctionService.AuctionServiceClient(compressing).WatchListing(
            new WatchListingRequest { ListingId = listing.ListingId, AfterSequence = 1 }, caller));
        var snapshot = await watcher.NextAsync(e => e.KindCase == KindOneofCase.Snapshot);
        await system.BidAsync(listing, "D-B", 1_050_00);
        var bid = await watcher.NextAsync(e => e.KindCase == KindOneofCase.BidPlaced);

        Assert.Equal((listing.ListingId, 1L), (snapshot.Snapshot.ListingId, snapshot.Sequence));
        Assert.Equal((2L, 1_050_00L), (bid.Sequence, bid.BidPlaced.CurrentPriceCents));
    }

    [Fact]
    public async Task WatchListing_OverGrpcWeb_IsForwardedToTheService_AndServedAsAnyOther()
    {
        // The gateway serves gRPC's WatchListing itself; a browser's gRPC-Web call matches only the forwarded route.
        var listing = await system.CreateListingAsync();
        await system.BidAsync(listing, "D-A", 1_000_00);

        await using var watcher = new StreamRecorder<ListingEvent>(new AuctionService.AuctionServiceClient(system.System.GatewayWebChannel()).WatchListing(
            new WatchListingRequest { ListingId = listing.ListingId, AfterSequence = 1 }, system.Buyer("D-BROWSER")));
        var snapshot = await watcher.NextAsync(e => e.KindCase == KindOneofCase.Snapshot);
        await system.BidAsync(listing, "D-B", 1_050_00);
        var bid = await watcher.NextAsync(e => e.KindCase == KindOneofCase.BidPlaced);

        Assert.Equal((listing.ListingId, 1L), (snapshot.Snapshot.ListingId, snapshot.Sequence));
        Assert.Equal((2L, 1_050_00L), (bid.Sequence, bid.BidPlaced.CurrentPriceCents));
    }

    [Fact]
    public async Task WatchListing_AStalledReaderThroughTheGateway_DoesNotHoldUpTheOthers_AndIsEndedToResume_NotBufferedWithoutBound()
    {
        var listing = await system.CreateListingAsync();
        await using var fast = Watch(listing, system.Buyer("D-FAST"));
        await fast.NextAsync(e => e.KindCase == KindOneofCase.Snapshot);
        // A reader that stopped reading: its HTTP/2 window is shut, so nothing sent to it can leave the gateway.
        var stalledEvents = new List<ListingEvent>();
        var stalledEnded = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stalled = await RawWatchConnection.ConnectAsync(system.System.GatewayGrpcAddress,
            (_, message, _) => stalledEvents.Add(message), (_, why) => stalledEnded.TrySetResult(why), stalled: true);
        stalled.Open(0, listing.ListingId, system.Buyer("D-STALLED").GetValue("authorization")!);

        // Three times its queue of bids while it reads nothing, each at the minimum: the other watcher gets each one, in order.
        var bids = 3 * AuctionSystemFixture.StreamQueueCapacity;
        var minimum = listing.MinimumNextBidCents;
        for (var i = 0; i < bids; i++)
            minimum = (await system.BidAsync(listing, i % 2 == 0 ? "D-A" : "D-B", minimum)).MinimumNextBidCents;
        await fast.NextAsync(e => e.Sequence == bids && e.KindCase == KindOneofCase.BidPlaced);
        Assert.Equal(Enumerable.Range(1, bids).Select(n => (long)n), fast.All.Where(e => e.KindCase == KindOneofCase.BidPlaced).Select(e => e.Sequence));

        // When it reads again: its snapshot and what was held for it, never every bid, then the
        // status telling it to resume from its last sequence. What was held is its queue plus
        // what the server's response buffer took before the window shut it (a few KiB here).
        stalled.OpenWindows();
        var why = await stalledEnded.Task.WaitAsync(AuctionSystemFixture.Patience);
        Assert.Contains($"this stream fell behind listing {listing.ListingId}: reconnect with after_sequence set to the last sequence you received", why);
        var received = stalledEvents.Where(e => e.KindCase == KindOneofCase.BidPlaced).Select(e => e.Sequence).ToList();
        Assert.Equal(KindOneofCase.Snapshot, stalledEvents[0].KindCase);
        Assert.Equal(Enumerable.Range(1, received.Count).Select(n => (long)n), received);
        Assert.InRange(received.Count, AuctionSystemFixture.StreamQueueCapacity, bids - 1);
        var bufferedBeyondTheQueue = stalledEvents.SkipLast(AuctionSystemFixture.StreamQueueCapacity).Sum(e => e.CalculateSize() + 5);
        Assert.InRange(bufferedBeyondTheQueue, 0, 64 * 1024);
    }

    [Fact]
    public async Task WatchListing_SnapshotTellsTheCallerItLeads_AndItsOwnMaximum()
    {
        var listing = await system.CreateListingAsync();
        await system.BidAsync(listing, "D-A", 1_000_00, maximum: 3_000_00);

        await using var mine = Watch(listing, system.Buyer("D-A"));
        var snapshot = (await mine.NextAsync(_ => true)).Snapshot;

        Assert.Equal((true, 3_000_00L, 1L, 1), (snapshot.CallerIsHighBidder, snapshot.CallerMaxAmountCents, snapshot.LastSequence, snapshot.BidCount));
    }

    [Fact]
    public async Task WatchListing_ReconnectingWithTheLastSequenceSeen_MissesNothing_AndGetsNothingTwice()
    {
        var listing = await system.CreateListingAsync();
        long lastSeen;
        await using (var first = Watch(listing, system.Buyer("D-WATCH")))
        {
            for (var i = 0; i < 3; i++)
                await system.BidAsync(listing, i % 2 == 0 ? "D-A" : "D-B", 1_000_00 + (i * 50_00));
            lastSeen = (await first.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced)).Sequence;
        }

        // Gone for a while: five more bids happen without this watcher.
        for (var i = 3; i < 8; i++)
            await system.BidAsync(listing, i % 2 == 0 ? "D-A" : "D-B", 1_000_00 + (i * 50_00));
        await using var again = Watch(listing, system.Buyer("D-WATCH"), afterSequence: lastSeen);
        await again.NextAsync(e => e.Sequence == 8 && e.KindCase == KindOneofCase.BidPlaced);
        await system.BidAsync(listing, "D-A", 2_000_00);
        await again.NextAsync(e => e.Sequence == 9 && e.KindCase == KindOneofCase.BidPlaced);

        Assert.Equal(KindOneofCase.Snapshot, again.All[0].KindCase);
        var events = again.All.Where(e => e.KindCase == KindOneofCase.BidPlaced).Select(e => e.Sequence);
        Assert.Equal([4L, 5L, 6L, 7L, 8L, 9L], events);
    }

    [Fact]
    public async Task WatchListing_IdleStream_GetsHeartbeatsCarryingTheLastSequence()
    {
        var listing = await system.CreateListingAsync();
        await system.BidAsync(listing, "D-A", 1_000_00);
        await using var watcher = Watch(listing, system.Buyer("D-WATCH"));

        var heartbeat = await watcher.NextAsync(e => e.KindCase == KindOneofCase.Heartbeat);

        Assert.Equal(1, heartbeat.Sequence);
    }

    [Fact]
    public async Task WatchListing_AfterSequenceBeyondTheLog_IsInvalidArgument_UnknownListingIsNotFound()
    {
        var listing = await system.CreateListingAsync();

        await using var beyond = Watch(listing, system.Buyer("D-WATCH"), afterSequence: 5);
        await using var unknown = new StreamRecorder<ListingEvent>(Client.WatchListing(new WatchListingRequest { ListingId = "L-nope" }, system.Buyer("D-WATCH")));

        var beyondEnd = await beyond.EndAsync();
        var unknownEnd = await unknown.EndAsync();
        Assert.Equal((StatusCode.InvalidArgument, "after_sequence must be between 0 and the listing's last sequence (0)"), (beyondEnd.StatusCode, beyondEnd.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "no listing L-nope"), (unknownEnd.StatusCode, unknownEnd.Status.Detail));
    }

    [Fact]
    public async Task Secrecy_NoOtherDealersStreamOrReply_EverContainsAnothersMaximum()
    {
        const long secretOfA = 7_777_00;
        const long secretOfB = 5_555_00;
        var listing = await system.CreateListingAsync(floor: 3_000_00);
        await using var watchOfB = Watch(listing, system.Buyer("D-B"));
        await using var watchOfC = Watch(listing, system.Buyer("D-C"));
        await using var watchOfCenter = Watch(listing, system.Remarketing);
        await using var market = new StreamRecorder<MarketEvent>(Client.WatchMarket(new WatchMarketRequest(), system.Remarketing));

        var replies = new List<IMessage>
        {
            await system.BidAsync(listing, "D-A", 1_000_00, maximum: secretOfA),
            await system.BidAsync(listing, "D-B", 3_100_00, maximum: secretOfB),
            await system.BidAsync(listing, "D-C", 5_800_00),
        };
        await watchOfB.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced);
        await watchOfC.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced);
        await watchOfCenter.NextAsync(e => e.Sequence == 3 && e.KindCase == KindOneofCase.BidPlaced);
        await market.NextAsync(e => e.Listing?.ListingId == listing.ListingId && e.Listing.LastSequence == 3);
        var asB = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Buyer("D-B"));
        var asCenter = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Remarketing);
        var listedForC = await Client.ListListingsAsync(new ListListingsRequest(), system.Buyer("D-C"));
        var asA = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Buyer("D-A"));

        // A leads throughout (its maximum holds), one increment over each challenger.
        Assert.Equal((5_900_00L, true, secretOfA), (asA.CurrentPriceCents, asA.CallerIsHighBidder, asA.CallerMaxAmountCents));
        Assert.Equal(secretOfB, ((PlaceBidResponse)replies[1]).CallerMaxAmountCents);
        var othersSaw = new List<IMessage>();
        othersSaw.AddRange(watchOfB.All);
        othersSaw.AddRange(watchOfC.All);
        othersSaw.AddRange(watchOfCenter.All);
        othersSaw.AddRange(market.All);
        othersSaw.AddRange([replies[1], replies[2], asB, asCenter, listedForC]);
        foreach (var message in othersSaw)
            Assert.DoesNotContain(secretOfA.ToString(), message.ToString());
        foreach (var message in new IMessage[] { replies[2], asCenter, listedForC }.Concat(watchOfC.All).Concat(watchOfCenter.All).Concat(market.All))
            Assert.DoesNotContain(secretOfB.ToString(), message.ToString());
        Assert.Equal(secretOfB, asB.CallerMaxAmountCents);
    }

    [Fact]
    public async Task Floor_BuyersSeeWhetherItIsMet_NeverItsValue_TheCenterSeesIt()
    {
        var listing = await system.CreateListingAsync(floor: 4_321_00);
        await system.BidAsync(listing, "D-A", 1_000_00);

        var asBuyer = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Buyer("D-B"));
        var asCenter = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Remarketing);

        Assert.Equal((false, 0L), (asBuyer.FloorMet, asBuyer.FloorPriceCents));
        Assert.DoesNotContain("432100", asBuyer.ToString());
        Assert.Equal(4_321_00, asCenter.FloorPriceCents);
    }

    [Fact]
    public async Task WatchMarket_SeesEveryLiveListing_IncludingOnesCreatedAfterItStarted()
    {
        var before = await system.CreateListingAsync();
        await using var market = new StreamRecorder<MarketEvent>(Client.WatchMarket(new WatchMarketRequest(), system.Remarketing));
        var first = await market.NextAsync(_ => true);
        await market.NextAsync(e => e.Listing?.ListingId == before.ListingId);

        var after = await system.CreateListingAsync();
        await market.NextAsync(e => e.Listing?.ListingId == after.ListingId);
        await system.BidAsync(after, "D-A", 1_000_00);
        var bid = await market.NextAsync(e => e.Listing?.ListingId == after.ListingId && e.Listing.BidCount == 1);

        Assert.Equal(MarketEvent.KindOneofCase.Heartbeat, first.KindCase);
        Assert.Equal(1_000_00, bid.Listing.CurrentPriceCents);
    }

    [Fact]
    public async Task WatchMarket_IsForTheRemarketingCenterOnly()
    {
        await using var market = new StreamRecorder<MarketEvent>(Client.WatchMarket(new WatchMarketRequest(), system.Buyer("D-A")));

        Assert.Equal(StatusCode.PermissionDenied, (await market.EndAsync()).StatusCode);
    }

    [Fact]
    public async Task WatchMyBids_OutbidExtendedWonAndLostNotices()
    {
        var listing = await system.CreateListingAsync();
        await using var mineA = new StreamRecorder<MyBidsEvent>(Client.WatchMyBids(new WatchMyBidsRequest(), system.Buyer("D-A")));
        await using var mineB = new StreamRecorder<MyBidsEvent>(Client.WatchMyBids(new WatchMyBidsRequest(), system.Buyer("D-B")));
        await mineA.NextAsync(_ => true);
        await mineB.NextAsync(_ => true);

        await system.BidAsync(listing, "D-A", 1_000_00);
        await system.BidAsync(listing, "D-B", 1_050_00);
        var outbid = await mineA.NextAsync(e => e.Notice?.Kind == MyBidsNoticeKind.Outbid);
        var closed = await Client.CloseListingAsync(new CloseListingRequest { RequestId = system.NextRequestId(), ListingId = listing.ListingId, Reason = "closing for the test" }, system.Remarketing);
        var won = await mineB.NextAsync(e => e.Notice?.Kind == MyBidsNoticeKind.Won);
        var lost = await mineA.NextAsync(e => e.Notice?.Kind == MyBidsNoticeKind.Lost);

        Assert.Equal((listing.ListingId, 1_050_00L, 2L), (outbid.Notice.ListingId, outbid.Notice.CurrentPriceCents, outbid.Notice.Sequence));
        Assert.Equal(closed.Outcome.ProofOfSaleId, won.Notice.ProofOfSaleId);
        Assert.Matches("^POS-", won.Notice.ProofOfSaleId);
        Assert.Equal("", lost.Notice.ProofOfSaleId);
        Assert.DoesNotContain(mineA.All, e => e.Notice?.Kind == MyBidsNoticeKind.Won);
    }

    [Fact]
    public async Task BuyNow_ThroughTheGateway_SoldToTheCaller_WhoAloneSeesItsProof()
    {
        var listing = await system.CreateListingAsync(buyNow: 9_000_00);

        var bought = await Client.BuyNowAsync(new BuyNowRequest { RequestId = system.NextRequestId(), ListingId = listing.ListingId }, system.Buyer("D-A"));
        var asOther = await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Buyer("D-B"));
        var results = await Client.ListResultsAsync(new ListResultsRequest(), system.Remarketing);

        Assert.Equal((ListingState.Sold, 9_000_00L, "D-A", bought.ProofOfSaleId), (bought.Listing.State, bought.Listing.Outcome.SalePriceCents, bought.Listing.Outcome.BuyerDealerId, bought.Listing.Outcome.ProofOfSaleId));
        Assert.Equal(("", ""), (asOther.Outcome.BuyerDealerId, asOther.Outcome.ProofOfSaleId));
        Assert.Contains(results.Listings, result => result.ListingId == listing.ListingId && result.Outcome.ProofOfSaleId == bought.ProofOfSaleId);
    }

    [Fact]
    public async Task BidStream_AnswersEachBidInOrder_UnderPlaceBidsRules()
    {
        var listing = await system.CreateListingAsync();
        using var call = Client.BidStream(system.Buyer("D-A"));

        await call.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = "s-1", AmountCents = 900_00 });
        await call.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = "s-2", AmountCents = 1_000_00 });
        await call.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = "s-2", AmountCents = 1_000_00 });
        await call.RequestStream.CompleteAsync();
        var answers = new List<PlaceBidResponse>();
        await foreach (var answer in call.ResponseStream.ReadAllAsync())
        {
            if (answer.Heartbeat is null)
                answers.Add(answer);
        }

        Assert.Equal(["s-1", "s-2", "s-2"], answers.Select(a => a.BidId));
        Assert.Equal((false, BidRejection.BelowMinimum), (answers[0].Accepted, answers[0].Rejection));
        Assert.True(answers[1].Accepted && answers[1].CallerIsHighBidder);
        Assert.Equal(answers[1], answers[2]);
    }

    [Fact]
    public async Task BidStream_WhileIdle_SendsHeartbeats_AndABadBidEndsItWithItsStatus_AfterTheAnswersBefore()
    {
        var listing = await system.CreateListingAsync();
        using var call = Client.BidStream(system.Buyer("D-HB"));

        Assert.True(await call.ResponseStream.MoveNext());
        var idle = call.ResponseStream.Current;
        await call.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = "h-1", AmountCents = 1_000_00 });
        var answered = await NextAnswerAsync(call.ResponseStream);
        await call.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = "L-nope", BidId = "h-2", AmountCents = 1_000_00 });
        var ended = await Assert.ThrowsAsync<RpcException>(() => NextAnswerAsync(call.ResponseStream));

        Assert.NotNull(idle.Heartbeat);
        Assert.Equal(("", false), (idle.BidId, idle.Accepted));
        Assert.True(answered.Accepted);
        Assert.Equal(StatusCode.NotFound, ended.StatusCode);
    }

    private static async Task<PlaceBidResponse> NextAnswerAsync(IAsyncStreamReader<PlaceBidResponse> responses)
    {
        while (await responses.MoveNext())
        {
            if (responses.Current.Heartbeat is null)
                return responses.Current;
        }
        throw new InvalidOperationException("the stream ended without an answer");
    }

    [Fact]
    public async Task BadInput_ThroughTheGateway_GetsTheRightStatus()
    {
        var listing = await system.CreateListingAsync();

        var ownListing = await Assert.ThrowsAsync<RpcException>(() => system.BidAsync(listing, TestAuction.GroundingDealer, 1_000_00));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client.PlaceBidAsync(new PlaceBidRequest { ListingId = "L-nope", BidId = "b", AmountCents = 1 }, system.Buyer("D-A")).ResponseAsync);
        var noBidId = await Assert.ThrowsAsync<RpcException>(() => Client.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, AmountCents = 1_000_00 }, system.Buyer("D-A")).ResponseAsync);
        var badVin = await Assert.ThrowsAsync<RpcException>(() => Client.CreateListingAsync(new CreateListingRequest { RequestId = "v", Vin = "1HGCV1F35PA100000", GroundingDealerId = "D-G" }, system.Remarketing).ResponseAsync);
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => Client.CreateListingAsync(new CreateListingRequest
        {
            RequestId = "w",
            Vin = TestVins.Next(),
            GroundingDealerId = "D-G",
            Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromDays(7)),
        }, system.Remarketing).ResponseAsync);
        var buyerCreates = await Assert.ThrowsAsync<RpcException>(() => system.Client.CreateListingAsync(new CreateListingRequest { RequestId = "x" }, system.Buyer("D-A")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ownListing.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noBidId.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badVin.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, buyerCreates.StatusCode);
        Assert.Equal(0, (await Client.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, system.Remarketing)).BidCount);
    }
}
