using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Simulator.Bots;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>
/// One buying dealer as a streaming client of the gateway: it finds live listings, watches those
/// it wants (WatchListing), bids over one BidStream (a proxy bidder leaves its one maximum with
/// PlaceBid, a buy-now taker calls BuyNow), hears of outbids, extensions and wins on WatchMyBids,
/// and collects what it won. What to bid is its <see cref="Bidder"/>'s decision alone, from what
/// the streams and answers showed it.
/// </summary>
public sealed class BuyerBot(Cast cast, Bidder mind, int order, GroundingDealers dealers) : IAsyncDisposable
{
    private readonly BuyerPickups _pickups = new(cast, mind.Dealer.DealerId, order, dealers);
    private readonly object _gate = new();
    private readonly Dictionary<string, BuyerWatch> _watches = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _bidding = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private AsyncDuplexStreamingCall<PlaceBidRequest, PlaceBidResponse>? _bidStream;
    private Task? _myBids;

    public string DealerId => mind.Dealer.DealerId;

    public BidderStyle Style => mind.Dealer.Style;

    private Task<Metadata> HeadersAsync(CancellationToken cancellationToken) => cast.Gateway.AsAsync(DealerId, RoleNames.Buyer, cancellationToken);

    public void Start()
    {
        _myBids = WatchMyBidsAsync(_stop.Token);
        // Each dealer looks at the market on its own beat, a little apart from the others.
        cast.Recurring($"buyer:{order:D3}:listings", TimeSpan.FromMinutes(55 + order * 7), LookForListingsAsync, cast.Now + TimeSpan.FromMinutes(order * 3));
        cast.Recurring($"buyer:{order:D3}:pickups", TimeSpan.FromHours(2), _pickups.LookAsync, cast.Now + TimeSpan.FromMinutes(30 + order));
    }

    private Task LookForListingsAsync(CancellationToken cancellationToken) =>
        cast.TryAsync($"{DealerId}: list live listings", async () =>
        {
            var headers = await HeadersAsync(cancellationToken);
            var page = "";
            do
            {
                var live = await cast.Gateway.Auction.ListListingsAsync(
                    new ListListingsRequest { State = ListingState.Live, Page = new() { PageSize = 200, PageToken = page } }, headers, cancellationToken: cancellationToken);
                foreach (var listing in live.Listings.OrderBy(listing => listing.Vin, StringComparer.Ordinal))
                    Consider(listing);
                page = live.Page?.NextPageToken ?? "";
            }
            while (page.Length > 0);
        });

    private void Consider(Listing listing)
    {
        // Only this run's vehicles: listings an earlier run left on the system are none of its business.
        if (cast.Seen.ByVin(listing.Vin) is null)
            return;
        lock (_gate)
        {
            if (_watches.ContainsKey(listing.ListingId))
                return;
        }
        var view = ContractMessages.View(listing, 0);
        var plan = mind.Consider(view, cast.Today);
        var watch = new BuyerWatch(listing.Vin, plan, view);
        lock (_gate)
            _watches[listing.ListingId] = watch;
        if (plan is null)
            return;
        watch.Stream = WatchListingAsync(watch, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        cast.At(plan.FirstLook, LookKey(watch), token => LookAsync(watch, token));
    }

    private string LookKey(BuyerWatch watch) => $"buyer:{order:D3}:look:{watch.Vin}";

    private async Task LookAsync(BuyerWatch watch, CancellationToken cancellationToken)
    {
        if (watch.Left || watch.Plan is null)
            return;
        var decision = mind.Decide(watch.Plan, watch.View, cast.Now, watch.Looks++);
        switch (decision.Move)
        {
            case BidMove.Bid:
                await BidAsync(watch, decision, cancellationToken);
                break;
            case BidMove.BuyNow:
                await BuyNowAsync(watch, cancellationToken);
                break;
            case BidMove.Leave:
                Leave(watch);
                return;
        }
        if (decision.NextLook is { } next)
            cast.At(next, LookKey(watch), token => LookAsync(watch, token));
        else if (decision.Move == BidMove.Bid && Style == BidderStyle.ProxyBidder)
            watch.Left = true;
    }

    private static void Leave(BuyerWatch watch)
    {
        watch.Left = true;
        // Keep watching a listing it leads, to the end: the won notice comes on WatchMyBids either way.
        if (!watch.View.CallerIsHighBidder)
            watch.StopStream();
    }

    private async Task BidAsync(BuyerWatch watch, BidDecision decision, CancellationToken cancellationToken)
    {
        var request = new PlaceBidRequest
        {
            ListingId = watch.View.ListingId,
            BidId = $"{DealerId}/{cast.RunTag}/{watch.View.ListingId}/{watch.Looks}",
            AmountCents = decision.AmountCents,
            MaxAmountCents = decision.MaximumCents,
        };
        await cast.TryAsync($"{DealerId}: bid on {watch.Vin}", async () =>
        {
            var answer = decision.MaximumCents > 0
                ? await cast.Gateway.Auction.PlaceBidAsync(request, await HeadersAsync(cancellationToken), cancellationToken: cancellationToken)
                : await OverBidStreamAsync(request, cancellationToken);
            cast.Seen.BidSubmitted(answer.Accepted);
            watch.Answered(answer);
        });
    }

    /// <summary>Sends the bid on the dealer's BidStream and reads its answer (skipping heartbeats); opens the stream again if it broke.</summary>
    private async Task<PlaceBidResponse> OverBidStreamAsync(PlaceBidRequest request, CancellationToken cancellationToken)
    {
        await _bidding.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                _bidStream ??= cast.Gateway.Auction.BidStream(await HeadersAsync(cancellationToken), cancellationToken: _stop.Token);
                try
                {
                    await _bidStream.RequestStream.WriteAsync(request, cancellationToken);
                    while (await _bidStream.ResponseStream.MoveNext(cancellationToken))
                    {
                        var answer = _bidStream.ResponseStream.Current;
                        if (answer.Heartbeat is null && answer.BidId == request.BidId)
                            return answer;
                    }
                    throw new RpcException(new Status(StatusCode.Unavailable, "the bid stream ended"));
                }
                catch (Exception exception) when (attempt < 5 && exception is RpcException or InvalidOperationException or IOException)
                {
                    // The same bid id again on a new stream, a moment later (the instance behind the old one
                    // may have gone): a bid the old one applied is answered as it was.
                    _bidStream.Dispose();
                    _bidStream = null;
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), cancellationToken);
                }
            }
        }
        finally
        {
            _bidding.Release();
        }
    }

    private Task BuyNowAsync(BuyerWatch watch, CancellationToken cancellationToken) =>
        cast.TryAsync($"{DealerId}: buy {watch.Vin} now", async () =>
        {
            var bought = await cast.Gateway.Auction.BuyNowAsync(
                new BuyNowRequest { RequestId = $"{DealerId}/{cast.RunTag}/{watch.View.ListingId}/buy-now", ListingId = watch.View.ListingId }, await HeadersAsync(cancellationToken), cancellationToken: cancellationToken);
            cast.Seen.BoughtNow();
            watch.Update(ContractMessages.View(bought.Listing, watch.View.LastSequence));
            cast.At(cast.Now, $"buyer:{order:D3}:pickups-now", _pickups.LookAsync);
        });

    /// <summary>The listing's log as this dealer sees it; resumes after a break from the last sequence seen.</summary>
    private Task WatchListingAsync(BuyerWatch watch, CancellationTokenSource stop)
    {
        watch.StopSource = stop;
        return Cast.KeepStreamingAsync($"{DealerId}: watching {watch.Vin}", async token =>
        {
            var request = new WatchListingRequest { ListingId = watch.View.ListingId, AfterSequence = watch.View.LastSequence };
            using var call = cast.Gateway.Auction.WatchListing(request, await HeadersAsync(token), cancellationToken: token);
            await foreach (var change in call.ResponseStream.ReadAllAsync(token))
            {
                Apply(watch, change);
                if (!watch.View.Live)
                    return true;
            }
            return false;
        }, cast.Seen.Error, TimeSpan.FromMilliseconds(300), stop.Token, cast.Seen.StreamResumed);
    }

    private void Apply(BuyerWatch watch, ListingEvent change)
    {
        var at = ContractMessages.At(change.OccurredAt);
        switch (change.KindCase)
        {
            case ListingEvent.KindOneofCase.Snapshot:
                watch.Update(ContractMessages.View(change.Snapshot, change.Sequence));
                break;
            case ListingEvent.KindOneofCase.BidPlaced:
                var bid = change.BidPlaced;
                cast.Seen.PriceSeen(watch.View.ListingId, change.Sequence, at, bid.CurrentPriceCents);
                watch.Update(watch.View with
                {
                    CurrentPriceCents = bid.CurrentPriceCents,
                    MinimumNextBidCents = bid.MinimumNextBidCents,
                    FloorMet = bid.FloorMet,
                    BidCount = bid.BidCount,
                    CallerIsHighBidder = bid.CallerIsHighBidder,
                    LastSequence = change.Sequence,
                });
                break;
            case ListingEvent.KindOneofCase.Extended:
                cast.Seen.ExtensionSeen(watch.View.ListingId, change.Sequence);
                watch.Update(watch.View with { EndsAt = ContractMessages.At(change.Extended.EndsAt), LastSequence = change.Sequence });
                break;
            case ListingEvent.KindOneofCase.Closed:
                watch.Update(watch.View with { Live = false, LastSequence = change.Sequence });
                break;
        }
    }

    /// <summary>Outbid and extension notices bring a reacting dealer back to the listing; a win sends it to collect.</summary>
    private Task WatchMyBidsAsync(CancellationToken cancellationToken) =>
        Cast.KeepStreamingAsync($"{DealerId}: my bids stream", async token =>
        {
            using var call = cast.Gateway.Auction.WatchMyBids(new WatchMyBidsRequest(), await HeadersAsync(token), cancellationToken: token);
            await foreach (var change in call.ResponseStream.ReadAllAsync(token))
            {
                if (change.KindCase == MyBidsEvent.KindOneofCase.Notice)
                    Heard(change.Notice);
            }
            return false;
        }, cast.Seen.Error, TimeSpan.FromMilliseconds(500), cancellationToken, cast.Seen.StreamResumed);

    private void Heard(MyBidsNotice notice)
    {
        BuyerWatch? watch;
        lock (_gate)
            watch = _watches.GetValueOrDefault(notice.ListingId);
        switch (notice.Kind)
        {
            case MyBidsNoticeKind.Won:
                cast.At(cast.Now, $"buyer:{order:D3}:pickups-now", _pickups.LookAsync);
                break;
            case MyBidsNoticeKind.Outbid or MyBidsNoticeKind.Extended when watch is { Left: false, Plan: { } plan } && mind.ReactsToNotices:
                cast.At(cast.Now + mind.Reaction(plan, watch.Looks), LookKey(watch), token => LookAsync(watch, token));
                break;
        }
    }

    /// <summary>Live listings this dealer watches now.</summary>
    public int Watching
    {
        get
        {
            lock (_gate)
                return _watches.Values.Count(watch => watch.Stream is { IsCompleted: false });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        List<Task> streams;
        lock (_gate)
            streams = [.. _watches.Values.Select(watch => watch.Stream).OfType<Task>()];
        if (_myBids is not null)
            streams.Add(_myBids);
        await Task.WhenAll(streams);
        _bidStream?.Dispose();
        foreach (var watch in _watches.Values)
            watch.StopSource?.Dispose();
        _stop.Dispose();
        _bidding.Dispose();
    }
}
