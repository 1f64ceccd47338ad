using Remarketing.Contracts.Auction.V1;
using BidRejection = Remarketing.Contracts.Auction.V1.BidRejection;

namespace Remarketing.Auction.Tests;

/// <summary>
/// PlaceBid over gRPC through the gateway travels on a BidStream the gateway keeps for the dealer
/// (the gateway's BidCarriers): what the dealer sees is PlaceBid's answer or status, bid by bid,
/// and the Auction service sees streams, not calls. The collection's tests run one at a time, so
/// the Auction's counts move only with this test's calls (and with other tests' idle streams closing).
/// </summary>
[Trait("Category", "System")]
[Collection(AuctionSystemCollection.Name)]
public sealed class CarriedBidTests(AuctionSystemFixture system) : IDisposable
{
    private const string PlaceBid = "/remarketing.auction.v1.AuctionService/PlaceBid";
    private const string BidStream = "/remarketing.auction.v1.AuctionService/BidStream";

    /// <summary>How long the services' Prometheus endpoint serves one scrape before reading the instruments again.</summary>
    private static readonly TimeSpan ScrapeCache = TimeSpan.FromMilliseconds(400);

    private readonly HttpClient _http = new();

    private AuctionService.AuctionServiceClient Client => system.Client;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ADealersBids_TravelOnOneStream_AreAnsweredAsPlaceBid_PastTheStreamsHeartbeats()
    {
        var listings = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => system.CreateListingAsync()));
        var (dealer, challenger) = (Dealer(), Dealer());
        var before = await AuctionCountsAsync();

        var answers = new List<PlaceBidResponse>();
        foreach (var listing in listings)
        {
            answers.Add(await system.BidAsync(listing, dealer, 1_000_00));
            if (answers.Count == 3)
                await Task.Delay(AuctionSystemFixture.HeartbeatInterval * 3); // the idle stream sends heartbeats meanwhile
        }
        var below = await system.BidAsync(listings[0], challenger, 900_00);
        var proxy = await system.BidAsync(listings[1], challenger, answers[1].MinimumNextBidCents, maximum: 2_500_00);
        var outbid = await system.BidAsync(listings[1], dealer, proxy.MinimumNextBidCents);
        var after = await AuctionCountsAsync();

        Assert.All(answers, answer => Assert.Equal((true, true, 1_000_00L), (answer.Accepted, answer.CallerIsHighBidder, answer.CurrentPriceCents)));
        Assert.Equal((false, BidRejection.BelowMinimum), (below.Accepted, below.Rejection));
        Assert.StartsWith("bid at least $", below.Message);
        Assert.Equal((true, true, 2_500_00L), (proxy.Accepted, proxy.CallerIsHighBidder, proxy.CallerMaxAmountCents));
        // The dealer is outbid by the challenger's proxy at once, and never sees its maximum.
        Assert.Equal((true, false, 0L), (outbid.Accepted, outbid.CallerIsHighBidder, outbid.CallerMaxAmountCents));
        Assert.True(outbid.CurrentPriceCents > proxy.MinimumNextBidCents, outbid.ToString());
        Assert.Equal(before.PlaceBidCalls, after.PlaceBidCalls);
        // Two dealers, a stream each (less if earlier tests' idle streams closed meanwhile).
        Assert.True(after.BidStreamsOpen >= 1 && after.BidStreamsOpen - before.BidStreamsOpen <= 2, $"{before.BidStreamsOpen} streams open before, {after.BidStreamsOpen} after");
    }

    [Fact]
    public async Task ADealersConcurrentBids_AreAllAnswered_OnAtMostFourStreams()
    {
        var listings = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => system.CreateListingAsync()));
        var dealer = Dealer();
        var before = await AuctionCountsAsync();

        var answers = await Task.WhenAll(listings.Select(listing => system.BidAsync(listing, dealer, 1_000_00)));
        var after = await AuctionCountsAsync();

        Assert.All(answers, answer => Assert.True(answer.Accepted && answer.CallerIsHighBidder, answer.ToString()));
        Assert.True(after.BidStreamsOpen >= 1 && after.BidStreamsOpen - before.BidStreamsOpen <= BidCarriersStreamsPerCaller,
            $"{before.BidStreamsOpen} streams open before, {after.BidStreamsOpen} after");
    }

    [Fact]
    public async Task ABadBid_GetsItsOwnStatusAndMessage_AndTheDealersNextBidIsAnswered()
    {
        var listing = await system.CreateListingAsync();
        var dealer = Dealer();
        await system.BidAsync(listing, dealer, 1_000_00);

        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Client.PlaceBidAsync(new PlaceBidRequest { ListingId = "L-nope", BidId = system.NextRequestId(), AmountCents = 1_000_00 }, system.Buyer(dealer)).ResponseAsync);
        var noBidId = await Assert.ThrowsAsync<RpcException>(() =>
            Client.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, AmountCents = 1_100_00 }, system.Buyer(dealer)).ResponseAsync);
        var next = await system.BidAsync(listing, dealer, 1_100_00, maximum: 1_500_00);

        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("L-nope", unknown.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, noBidId.StatusCode);
        Assert.Contains("bid_id is required", noBidId.Status.Detail);
        Assert.Equal((true, 1_500_00L), (next.Accepted, next.CallerMaxAmountCents));
    }

    [Fact]
    public async Task BidsWhoseCallersGiveUpOnTheWay_NeverHandTheirAnswersToTheNextBids()
    {
        var listings = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => system.CreateListingAsync()));
        var dealer = Dealer();

        // Deadlines from 0 to 3 ms: some expire before the gateway sends the bid, some while its
        // answer is on the way back, some not at all.
        var attempts = Enumerable.Range(0, 40).Select(async i =>
        {
            var request = new PlaceBidRequest { ListingId = listings[i % listings.Length].ListingId, BidId = system.NextRequestId(), AmountCents = 1_000_00 + (i * 10_00) };
            try
            {
                var answer = await Client.PlaceBidAsync(request, system.Buyer(dealer), deadline: DateTime.UtcNow.AddMilliseconds(i % 4)).ResponseAsync;
                return (request.BidId, Answered: answer.BidId);
            }
            catch (RpcException expired) when (expired.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled)
            {
                return (request.BidId, Answered: request.BidId);
            }
        });
        var outcomes = await Task.WhenAll(attempts);
        var later = listings.Select((listing, i) => new PlaceBidRequest { ListingId = listing.ListingId, BidId = system.NextRequestId(), AmountCents = 5_000_00 + (i * 10_00) }).ToArray();
        var answers = await Task.WhenAll(later.Select(request => Client.PlaceBidAsync(request, system.Buyer(dealer)).ResponseAsync));

        Assert.All(outcomes, outcome => Assert.Equal(outcome.BidId, outcome.Answered));
        Assert.Equal(later.Select(request => request.BidId), answers.Select(answer => answer.BidId));
    }

    [Fact]
    public async Task ABidOverGrpcWeb_IsForwardedAsACall_WithTheSameAnswer()
    {
        var listing = await system.CreateListingAsync();
        var web = new AuctionService.AuctionServiceClient(system.System.GatewayWebChannel());
        var before = await AuctionCountsAsync();

        var answer = await web.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = system.NextRequestId(), AmountCents = 1_000_00 }, system.Buyer(Dealer()));
        var after = await AuctionCountsAsync();

        Assert.Equal((true, 1_000_00L), (answer.Accepted, answer.CurrentPriceCents));
        Assert.Equal(before.PlaceBidCalls + 1, after.PlaceBidCalls);
    }

    private static string Dealer() => $"D-CARRY-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    /// <summary>The gateway's bound (BidCarriers.StreamsPerCaller; the tests run the gateway as a process, not its types).</summary>
    private const int BidCarriersStreamsPerCaller = 4;

    /// <summary>From the Auction service's /metrics: PlaceBid calls it answered, and BidStreams open now (read afresh, past the endpoint's cache).</summary>
    private async Task<(double PlaceBidCalls, double BidStreamsOpen)> AuctionCountsAsync()
    {
        await Task.Delay(ScrapeCache);
        var auction = system.System.HealthAddresses["auction"];
        return (await ProcessMetrics.SumAsync(_http, auction, "remarketing_rpc_server_duration_seconds_count", PlaceBid),
            await ProcessMetrics.SumAsync(_http, auction, "remarketing_rpc_server_streams_open", BidStream));
    }
}
