using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using StackExchange.Redis;

namespace Remarketing.Auction;

/// <summary>
/// The live side of one Auction instance. A sharded pub/sub message (<see cref="ListingChannels"/>)
/// wakes the hub after each change; the listing's log (a Redis stream) is the truth. Each watched listing is read once per change by
/// one <see cref="ListingFeed"/>, whatever the number of its watchers, and every watcher gets the
/// events after its own last sequence, in order, without gaps or repeats. Changes also go to the
/// <see cref="MarketFeed"/> and, through the feeds, to the <see cref="MyBidsNotices"/>.
/// </summary>
public sealed partial class ListingEventHub : IHostedService, IAsyncDisposable
{
    private const int PageSize = 500;

    private readonly IDatabase _redis;
    private readonly AuctionEngine _engine;
    private readonly MarketFeed _market;
    private readonly MyBidsNotices _notices;
    private readonly TimeProvider _clock;
    private readonly StreamOptions _streams;
    private readonly AuctionMetrics _metrics;
    private readonly ILogger<ListingEventHub> _logger;
    private readonly ConcurrentDictionary<string, ListingFeed> _feeds = new(StringComparer.Ordinal);
    private readonly ListingChannels _channels;
    private ITimer? _catchUp;
    private readonly HeartbeatTicker _ticker;

    public ListingEventHub(
        IConnectionMultiplexer connection, ListingChannels channels, AuctionEngine engine, MarketFeed market, MyBidsNotices notices, TimeProvider clock,
        IOptions<StreamOptions> streams, AuctionMetrics metrics, HeartbeatTicker ticker, ILogger<ListingEventHub> logger)
    {
        _ticker = ticker;
        _channels = channels;
        _redis = connection.GetDatabase();
        _engine = engine;
        _market = market;
        _notices = notices;
        _clock = clock;
        _streams = streams.Value;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _channels.StartAsync(OnWakeUpAsync);
        // Pub/sub can drop a message (a reconnect): every feed also looks for missed events now and then.
        _catchUp = TimeProvider.System.CreateTimer(_ => _ = CatchUpAllAsync(), null, _streams.HeartbeatInterval, _streams.HeartbeatInterval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_catchUp is not null)
            await _catchUp.DisposeAsync();
        await _channels.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_catchUp is not null)
            await _catchUp.DisposeAsync();
        foreach (var feed in _feeds.Values)
            feed.Dispose();
    }

    public async Task WatchListingAsync(string listingId, long afterSequence, Caller caller, IServerStreamWriter<ListingEvent> writer, CancellationToken cancellationToken, PipeWriter? body = null)
    {
        var listing = await _engine.GetListingAsync(listingId);
        if (afterSequence < 0 || afterSequence > listing.LastSequence)
            throw DomainException.InvalidArgument($"after_sequence must be between 0 and the listing's last sequence ({listing.LastSequence})");

        var ownMaximum = ListingAccess.HasOwnMaximum(caller) ? await _engine.OwnMaximumAsync(listingId, caller.Subject) : 0;
        var watcher = new ListingWatcher<ListingEvent>(listingId, afterSequence, _streams, _ticker, delivered => new ListingEvent
        {
            Sequence = delivered,
            OccurredAt = Timestamp.FromDateTimeOffset(_clock.GetUtcNow()),
            Heartbeat = Heartbeats.Now(_clock),
        }, delivery => delivery.ViewFor(caller));
        watcher.Pump.TryPublish(new ListingEvent
        {
            Sequence = listing.LastSequence,
            OccurredAt = Timestamp.FromDateTimeOffset(_clock.GetUtcNow()),
            Snapshot = ListingViews.ToProto(listing, caller, ownMaximum, _engine.Increments),
        });
        await RunAsync(watcher, listing.LastSequence, writer, body, cancellationToken);
    }

    /// <summary>
    /// The gateway's one stream for a listing: the sequence it starts after, then every event
    /// after it in both views, for the gateway to hand each of its watchers the one it may see.
    /// </summary>
    public async Task RelayListingAsync(string listingId, Caller caller, IServerStreamWriter<RelayedListingEvent> writer, CancellationToken cancellationToken, PipeWriter? body = null)
    {
        if (!ListingAccess.MayRelay(caller))
            throw DomainException.PermissionDenied("only the gateway relays a listing's events");
        var listing = await _engine.GetListingAsync(listingId);
        var relay = new ListingWatcher<RelayedListingEvent>(listingId, listing.LastSequence, _streams, _ticker,
            delivered => new RelayedListingEvent { Sequence = delivered, Heartbeat = Heartbeats.Now(_clock) }, delivery => delivery.Relayed);
        relay.Pump.TryPublish(new RelayedListingEvent { Sequence = listing.LastSequence, Heartbeat = Heartbeats.Now(_clock) });
        await RunAsync(relay, listing.LastSequence, writer, body, cancellationToken);
    }

    private async Task RunAsync<T>(ListingWatcher<T> watcher, long snapshotSequence, IServerStreamWriter<T> writer, PipeWriter? body, CancellationToken cancellationToken)
    {
        var running = watcher.Pump.RunAsync(writer, cancellationToken, body);
        ListingFeed? joined = null;
        try
        {
            joined = await CatchUpAndJoinAsync(watcher, snapshotSequence, cancellationToken);
        }
        catch (Exception exception) when (exception is ChannelClosedException or OperationCanceledException)
        {
            // The client left while it was catching up.
        }

        try
        {
            await running;
        }
        finally
        {
            joined?.Remove(watcher);
        }
    }

    /// <summary>Sends the watcher every event after its sequence, then hands it to the listing's live feed.</summary>
    private async Task<ListingFeed> CatchUpAndJoinAsync<T>(ListingWatcher<T> watcher, long snapshotSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await _redis.StreamRangeAsync(AuctionKeys.Events(watcher.ListingId), StoredEvent.After(watcher.Delivered), "+", PageSize);
            foreach (var entry in entries)
            {
                await watcher.CatchUpAsync(ListingEventDelivery.Of(StoredEvent.From(entry)), cancellationToken);
            }

            if (entries.Length == PageSize)
                continue;
            var feed = FeedOf(watcher.ListingId, snapshotSequence);
            if (await feed.TryJoinAsync(watcher))
            {
                // An event may have come between the last read and the join, its wake-up gone to no feed.
                await feed.CatchUpAsync();
                return feed;
            }
        }
    }

    private ListingFeed FeedOf(string listingId, long lastSequence) =>
        _feeds.GetOrAdd(listingId, id => new ListingFeed(id, lastSequence, _redis, _metrics, _notices));

    private async Task OnWakeUpAsync(ListingSchema.Announcement announcement)
    {
        var (listingId, first, _) = announcement;
        if (_market.IsWatched)
            await _market.PublishAsync(listingId);
        if (_feeds.TryGetValue(listingId, out var feed))
            await feed.CatchUpAsync();
        else if (!_notices.NobodyWatches && first > 0)
            await FeedOf(listingId, first - 1).CatchUpAsync();
    }

    private async Task CatchUpAllAsync()
    {
        try
        {
            await _channels.SyncAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            ChannelSyncFailed(_logger, exception);
        }

        foreach (var feed in _feeds.Values)
        {
            try
            {
                await feed.CatchUpAsync();
                // A retired feed is dropped; it holds no wait handle, so nothing needs disposing
                // while a late notification may still reach it.
                if (feed.CanRetire(_notices.NobodyWatches))
                    _feeds.TryRemove(new KeyValuePair<string, ListingFeed>(feed.ListingId, feed));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                CatchUpFailed(_logger, exception, feed.ListingId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not join the live listings' channels; the next catch-up tries again")]
    private static partial void ChannelSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up of listing {ListingId} failed")]
    private static partial void CatchUpFailed(ILogger logger, Exception exception, string listingId);
}
