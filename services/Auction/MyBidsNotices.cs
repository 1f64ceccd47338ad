using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using StackExchange.Redis;

namespace Remarketing.Auction;

/// <summary>
/// WatchMyBids: each dealer's outbid, extended, won and lost notices, made from the listings' log
/// events as the listing feeds read them.
/// </summary>
public sealed class MyBidsNotices(IConnectionMultiplexer redis, TimeProvider clock, IOptions<StreamOptions> streams, AuctionMetrics metrics, HeartbeatTicker ticker)
{
    private readonly IDatabase _redis = redis.GetDatabase();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ServerStreamPump<MyBidsEvent>, byte>> _byDealer = new(StringComparer.Ordinal);

    /// <summary>True while no dealer watches its bids on this instance.</summary>
    public bool NobodyWatches => _byDealer.Values.All(pumps => pumps.IsEmpty);

    public async Task WatchAsync(Caller dealer, IServerStreamWriter<MyBidsEvent> writer, CancellationToken cancellationToken)
    {
        var pump = new ServerStreamPump<MyBidsEvent>(streams.Value, () => new MyBidsEvent { Heartbeat = Heartbeats.Now(clock) }, ticker);
        pump.TryPublish(new MyBidsEvent { Heartbeat = Heartbeats.Now(clock) });
        var mine = _byDealer.GetOrAdd(dealer.Subject, _ => new());
        mine.TryAdd(pump, 0);
        try
        {
            await pump.RunAsync(writer, cancellationToken);
        }
        finally
        {
            mine.TryRemove(pump, out _);
        }
    }

    /// <summary>The notices one event makes, for the dealers watching their bids.</summary>
    public async Task NotifyAsync(string listingId, StoredEvent stored)
    {
        if (NobodyWatches)
            return;
        switch (stored.Kind)
        {
            case EventKind.Bid when stored.PreviousLeader.Length > 0 && stored.PreviousLeader != stored.Leader:
                Send(stored.PreviousLeader, Notice(MyBidsNoticeKind.Outbid, listingId, stored));
                break;
            case EventKind.Extension or EventKind.Close:
                var bidders = await _redis.HashKeysAsync(AuctionKeys.Aliases(listingId));
                var proof = stored.Kind == EventKind.Close
                    ? (string?)await _redis.HashGetAsync(AuctionKeys.State(listingId), ListingSchema.Field.ProofOfSale) ?? ""
                    : "";
                foreach (var bidder in bidders.Select(value => value.ToString()))
                {
                    var kind = stored.Kind == EventKind.Extension ? MyBidsNoticeKind.Extended
                        : bidder == stored.Winner ? MyBidsNoticeKind.Won : MyBidsNoticeKind.Lost;
                    var notice = Notice(kind, listingId, stored);
                    if (kind == MyBidsNoticeKind.Won)
                        notice.Notice.ProofOfSaleId = proof;
                    Send(bidder, notice);
                }

                break;
        }
    }

    private static MyBidsEvent Notice(MyBidsNoticeKind kind, string listingId, StoredEvent stored) => new()
    {
        Notice = new MyBidsNotice
        {
            Kind = kind,
            ListingId = listingId,
            Sequence = stored.Sequence,
            CurrentPriceCents = stored.PriceCents,
            EndsAt = stored.NewEnd is { } newEnd ? Timestamp.FromDateTimeOffset(newEnd) : null,
        },
    };

    private void Send(string dealerId, MyBidsEvent notice)
    {
        if (!_byDealer.TryGetValue(dealerId, out var pumps))
            return;
        foreach (var pump in pumps.Keys)
        {
            if (!pump.TryPublish(notice) && !pump.IsClosed)
                metrics.EndFallenBehind(pump, "your bids", "my_bids");
        }
    }
}
