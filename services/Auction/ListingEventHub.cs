using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using StackExchange.Redis;

namespace Remarketing.Auction;

/// <summary>
/// The streams of one Auction instance. A pub/sub message wakes the hub after each change; the
/// listing's log (a Redis stream) is the truth. Each watched listing is read once per change by
/// one <see cref="ListingFeed"/>, whatever the number of its watchers, and every watcher gets
/// the events after its own last sequence, in order, without gaps or repeats.
/// </summary>
public sealed class ListingEventHub : IHostedService, IAsyncDisposable
{
    private const int PageSize = 500;
    private static readonly Caller MarketViewer = new("", RoleNames.Remarketing);

    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _redis;
    private readonly AuctionEngine _engine;
    private readonly TimeProvider _clock;
    private readonly StreamOptions _streams;
    private readonly AuctionStreamMetrics _metrics;
    private readonly ILogger<ListingEventHub> _logger;
    private readonly ConcurrentDictionary<string, ListingFeed> _feeds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServerStreamPump<MarketEvent>, byte> _market = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ServerStreamPump<MyBidsEvent>, byte>> _myBids = new(StringComparer.Ordinal);
    private ChannelMessageQueue? _notifications;
    private ITimer? _catchUp;

    public ListingEventHub(
        IConnectionMultiplexer connection, AuctionEngine engine, TimeProvider clock, IOptions<StreamOptions> streams, AuctionStreamMetrics metrics, ILogger<ListingEventHub> logger)
    {
        _connection = connection;
        _redis = connection.GetDatabase();
        _engine = engine;
        _clock = clock;
        _streams = streams.Value;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _notifications = await _connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(AuctionKeys.EventsChannel));
        // Handled one at a time, in order of arrival.
        _notifications.OnMessage(OnNotificationAsync);
        // Pub/sub can drop a message (a reconnect): every feed also looks for missed events now and then.
        _catchUp = TimeProvider.System.CreateTimer(_ => _ = CatchUpAllAsync(), null, _streams.HeartbeatInterval, _streams.HeartbeatInterval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_catchUp is not null)
            await _catchUp.DisposeAsync();
        if (_notifications is not null)
            await _notifications.UnsubscribeAsync();
    }

    public ValueTask DisposeAsync() => _catchUp?.DisposeAsync() ?? ValueTask.CompletedTask;

    public async Task WatchListingAsync(string listingId, long afterSequence, Caller caller, IServerStreamWriter<ListingEvent> writer, CancellationToken cancellationToken)
    {
        var listing = await _engine.GetListingAsync(listingId);
        if (afterSequence < 0 || afterSequence > listing.LastSequence)
            throw DomainException.InvalidArgument($"after_sequence must be between 0 and the listing's last sequence ({listing.LastSequence})");

        var ownMaximum = caller.Role == RoleNames.Buyer ? await _engine.OwnMaximumAsync(listingId, caller.Subject) : 0;
        var watcher = new ListingWatcher(listingId, caller, afterSequence, _streams, _clock);
        watcher.Pump.TryPublish(new ListingEvent
        {
            Sequence = listing.LastSequence,
            OccurredAt = Timestamp.FromDateTimeOffset(_clock.GetUtcNow()),
            Snapshot = ListingViews.ToProto(listing, caller, ownMaximum, _engine.Increments),
        });
        var running = watcher.Pump.RunAsync(writer, cancellationToken);
        ListingFeed? joined = null;
        try
        {
            joined = await CatchUpAndJoinAsync(watcher, listing.LastSequence, cancellationToken);
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

    public async Task WatchMarketAsync(Caller caller, IServerStreamWriter<MarketEvent> writer, CancellationToken cancellationToken)
    {
        var pump = new ServerStreamPump<MarketEvent>(_streams, () => new MarketEvent { Heartbeat = Heartbeat() });
        // Something at once, even with no live listing: the gateway forwards nothing before a first message.
        pump.TryPublish(new MarketEvent { Heartbeat = Heartbeat() });
        _market.TryAdd(pump, 0);
        var running = pump.RunAsync(writer, cancellationToken);
        try
        {
            // Joined before the snapshots are read, so no change falls between them: a listing may
            // come twice, and its last_sequence tells the newer.
            var pageToken = "";
            do
            {
                var (listings, next) = await _engine.ListAsync(ListingStatus.Live, 200, pageToken);
                foreach (var listing in listings)
                    await pump.PublishAsync(new MarketEvent { Listing = ListingViews.ToProto(listing, caller, 0, _engine.Increments) }, cancellationToken);
                pageToken = next;
            }
            while (pageToken.Length > 0);
        }
        catch (Exception exception) when (exception is ChannelClosedException or OperationCanceledException)
        {
        }

        try
        {
            await running;
        }
        finally
        {
            _market.TryRemove(pump, out _);
        }
    }

    public async Task WatchMyBidsAsync(Caller caller, IServerStreamWriter<MyBidsEvent> writer, CancellationToken cancellationToken)
    {
        var pump = new ServerStreamPump<MyBidsEvent>(_streams, () => new MyBidsEvent { Heartbeat = Heartbeat() });
        pump.TryPublish(new MyBidsEvent { Heartbeat = Heartbeat() });
        var mine = _myBids.GetOrAdd(caller.Subject, _ => new());
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

    /// <summary>Sends the watcher every event after its sequence, then hands it to the listing's live feed.</summary>
    private async Task<ListingFeed> CatchUpAndJoinAsync(ListingWatcher watcher, long snapshotSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await _redis.StreamRangeAsync(AuctionKeys.Events(watcher.ListingId), StoredEvent.After(watcher.Delivered), "+", PageSize);
            foreach (var entry in entries)
            {
                var stored = StoredEvent.From(entry);
                await watcher.Pump.PublishAsync(ListingEventViews.For(stored, watcher.Caller), cancellationToken);
                watcher.Delivered = stored.Sequence;
            }

            if (entries.Length == PageSize)
                continue;
            var feed = _feeds.GetOrAdd(watcher.ListingId, id => new ListingFeed(id, snapshotSequence, this));
            if (await feed.TryJoinAsync(watcher))
            {
                // An event may have come between the last read and the join, its wake-up gone to no feed.
                await feed.CatchUpAsync();
                return feed;
            }
        }
    }

    private async Task OnNotificationAsync(ChannelMessage message)
    {
        try
        {
            var parts = ((string?)message.Message ?? "").Split(' ');
            if (parts.Length != 3 || !long.TryParse(parts[1], out var first))
                return;
            var listingId = parts[0];
            if (!_market.IsEmpty)
                await PublishMarketAsync(listingId);
            if (_feeds.TryGetValue(listingId, out var feed))
                await feed.CatchUpAsync();
            else if (!_myBids.IsEmpty && first > 0)
                await _feeds.GetOrAdd(listingId, id => new ListingFeed(id, first - 1, this)).CatchUpAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            _logger.LogWarning(exception, "Could not read the events behind {Notification}; the periodic catch-up will", (string?)message.Message);
        }
    }

    private async Task CatchUpAllAsync()
    {
        foreach (var feed in _feeds.Values)
        {
            try
            {
                await feed.CatchUpAsync();
                if (feed.CanRetire(_myBids.Values.All(pumps => pumps.IsEmpty)))
                    _feeds.TryRemove(new KeyValuePair<string, ListingFeed>(feed.ListingId, feed));
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                _logger.LogWarning(exception, "Catch-up of listing {ListingId} failed", feed.ListingId);
            }
        }
    }

    private async Task PublishMarketAsync(string listingId)
    {
        var listing = ListingRecord.From(await _redis.HashGetAllAsync(AuctionKeys.State(listingId)));
        if (listing is null)
            return;
        var change = new MarketEvent { Listing = ListingViews.ToProto(listing, MarketViewer, 0, _engine.Increments) };
        foreach (var pump in _market.Keys)
        {
            if (!pump.TryPublish(change))
                FellBehind(pump, "the market", "market");
        }
    }

    /// <summary>Outbid, extended, won and lost notices from one event, for the dealers watching their bids.</summary>
    private async Task NotifyBiddersAsync(string listingId, StoredEvent stored)
    {
        if (_myBids.IsEmpty)
            return;
        switch (stored.Kind)
        {
            case EventKind.Bid when stored.PreviousLeader.Length > 0 && stored.PreviousLeader != stored.Leader:
                Notify(stored.PreviousLeader, Notice(MyBidsNoticeKind.Outbid, listingId, stored));
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
                    Notify(bidder, notice);
                }

                break;
        }
    }

    private MyBidsEvent Notice(MyBidsNoticeKind kind, string listingId, StoredEvent stored) => new()
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

    private void Notify(string dealerId, MyBidsEvent notice)
    {
        if (!_myBids.TryGetValue(dealerId, out var pumps))
            return;
        foreach (var pump in pumps.Keys)
        {
            if (!pump.TryPublish(notice))
                FellBehind(pump, "your bids", "my_bids");
        }
    }

    private Heartbeat Heartbeat() => new() { ServerTime = Timestamp.FromDateTimeOffset(_clock.GetUtcNow()) };

    private void FellBehind<T>(ServerStreamPump<T> pump, string what, string stream)
    {
        _metrics.FellBehind(stream);
        pump.Fail(new RpcException(new Status(StatusCode.ResourceExhausted, $"this stream fell behind {what}: reconnect to start again")));
    }

    /// <summary>One watched listing on this instance: reads each new event once and gives it to every watcher.</summary>
    private sealed class ListingFeed(string listingId, long lastSequence, ListingEventHub hub)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<ListingWatcher> _watchers = [];
        private long _lastSequence = lastSequence;
        private bool _closed;
        private bool _retired;

        public string ListingId { get; } = listingId;

        public async Task CatchUpAsync()
        {
            await _gate.WaitAsync();
            try
            {
                while (true)
                {
                    var entries = await hub._redis.StreamRangeAsync(AuctionKeys.Events(ListingId), StoredEvent.After(_lastSequence), "+", PageSize);
                    foreach (var entry in entries)
                    {
                        var stored = StoredEvent.From(entry);
                        ListingWatcher[] watchers;
                        lock (_watchers)
                            watchers = [.. _watchers];
                        if (watchers.Length > 0)
                        {
                            var (forLeader, forOthers, leader) = ListingEventViews.ForEveryone(stored);
                            foreach (var watcher in watchers)
                            {
                                if (!watcher.Deliver(stored.Sequence, watcher.Caller.Subject == leader && watcher.Caller.Role == RoleNames.Buyer ? forLeader : forOthers))
                                {
                                    hub._metrics.FellBehind("listing");
                                    Remove(watcher);
                                }
                            }
                        }

                        await hub.NotifyBiddersAsync(ListingId, stored);
                        _closed |= stored.Kind == EventKind.Close;
                        _lastSequence = stored.Sequence;
                    }

                    if (entries.Length < PageSize)
                        return;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        /// <summary>Joins when the feed has handed out nothing the watcher lacks; otherwise it has more to catch up first.</summary>
        public async Task<bool> TryJoinAsync(ListingWatcher watcher)
        {
            await _gate.WaitAsync();
            try
            {
                if (_retired || _lastSequence > watcher.Delivered)
                    return false;
                lock (_watchers)
                    _watchers.Add(watcher);
                hub._metrics.WatcherJoined();
                return true;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Remove(ListingWatcher watcher)
        {
            bool removed;
            lock (_watchers)
                removed = _watchers.Remove(watcher);
            if (removed)
                hub._metrics.WatcherLeft();
        }

        /// <summary>A closed listing with no watchers needs no feed; a retired feed takes no one.</summary>
        public bool CanRetire(bool nobodyWatchesBids)
        {
            if (!_gate.Wait(0))
                return false;
            try
            {
                lock (_watchers)
                    _retired = _watchers.Count == 0 && (_closed || nobodyWatchesBids);
                return _retired;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private sealed class ListingWatcher
    {
        public ListingWatcher(string listingId, Caller caller, long delivered, StreamOptions options, TimeProvider clock)
        {
            ListingId = listingId;
            Caller = caller;
            Delivered = delivered;
            Pump = new ServerStreamPump<ListingEvent>(options, () =>
            {
                var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
                return new ListingEvent { Sequence = Delivered, OccurredAt = now, Heartbeat = new Heartbeat { ServerTime = now } };
            });
        }

        public string ListingId { get; }

        public Caller Caller { get; }

        /// <summary>The sequence of the last event queued for this watcher.</summary>
        public long Delivered { get; set; }

        public ServerStreamPump<ListingEvent> Pump { get; }

        /// <summary>False when the watcher has fallen behind and its stream is ended.</summary>
        public bool Deliver(long sequence, ListingEvent view)
        {
            if (sequence <= Delivered)
                return true;
            if (!Pump.TryPublish(view))
            {
                Pump.Fail(new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"this stream fell behind listing {ListingId}: reconnect with after_sequence set to the last sequence you received")));
                return false;
            }

            Delivered = sequence;
            return true;
        }
    }
}
