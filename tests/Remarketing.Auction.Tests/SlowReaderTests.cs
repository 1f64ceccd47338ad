using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction.Tests;

/// <summary>A reader that falls behind is ended with a status telling it to resume, never buffered without bound.</summary>
[Collection(RedisCollection.Name)]
public class SlowReaderTests(RedisConnectionFixture redis)
{
    private const int QueueCapacity = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The Auction's live side on the test's Redis, with a queue of <see cref="QueueCapacity"/> per stream.</summary>
    private async Task<ListingEventHub> StartHubAsync(TestAuction auction, TestMeters meters)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new StreamOptions { QueueCapacity = QueueCapacity, HeartbeatInterval = TimeSpan.FromMinutes(5) });
        var metrics = new AuctionMetrics(meters.Factory);
        var ticker = new HeartbeatTicker();
        var hub = new ListingEventHub(redis.Connection, new ListingChannels(redis.Connection, NullLogger<ListingChannels>.Instance), auction.Engine, new MarketFeed(auction.Engine, auction.Clock, options, metrics, ticker),
            new MyBidsNotices(redis.Connection, auction.Clock, options, metrics, ticker), auction.Clock, options, metrics, ticker, NullLogger<ListingEventHub>.Instance);
        await hub.StartAsync(CancellationToken.None);
        return hub;
    }

    /// <summary>A market watcher back from a break tells a listing that closed meanwhile by its absence from a whole snapshot.</summary>
    [Fact]
    public async Task WatchMarket_SaysWhenItsSnapshotIsWhole_WithAHeartbeatRightAfterTheLastLiveListing()
    {
        using var meters = new TestMeters();
        var auction = new TestAuction(redis.Connection);
        var options = Microsoft.Extensions.Options.Options.Create(new StreamOptions { QueueCapacity = 1_000, HeartbeatInterval = TimeSpan.FromMinutes(5) });
        var feed = new MarketFeed(auction.Engine, auction.Clock, options, new AuctionMetrics(meters.Factory), new HeartbeatTicker());
        var listings = new[] { await auction.CreateAsync(), await auction.CreateAsync() };
        var market = new RecordingStreamWriter<MarketEvent>();
        using var stop = new CancellationTokenSource();

        var watching = feed.WatchAsync(new Caller("RC-1", RoleNames.Remarketing), market, stop.Token);
        var first = await market.NextAsync(Patience);
        var snapshot = new List<string>();
        // Idle heartbeats are 5 minutes apart here: the one that comes is the snapshot's end.
        for (var next = await market.NextAsync(Patience); next.KindCase != MarketEvent.KindOneofCase.Heartbeat; next = await market.NextAsync(Patience))
            snapshot.Add(next.Listing.ListingId);
        await stop.CancelAsync();
        await watching;

        Assert.Equal(MarketEvent.KindOneofCase.Heartbeat, first.KindCase);
        Assert.Subset(snapshot.ToHashSet(), listings.Select(listing => listing.ListingId).ToHashSet());
    }

    [Fact]
    public async Task SlowReader_QueueBounded_StreamEndsResourceExhausted_AndResumingFromItsLastSequenceMissesNothing()
    {
        using var meters = new TestMeters();
        using var signals = new StreamSignals(meters);
        var auction = new TestAuction(redis.Connection);
        var hub = await StartHubAsync(auction, meters);
        var listing = await auction.CreateAsync(opening: 1_000_00);
        var caller = new Caller("D-SLOW", RoleNames.Buyer);
        var slow = new GatedStreamWriter();

        var watching = hub.WatchListingAsync(listing.ListingId, 0, caller, slow, CancellationToken.None);
        // On the live feed, with its reader stalled on the snapshot: now the bids come.
        await signals.Joined.WaitAsync(Patience);
        for (var i = 0; i < 20; i++)
            await auction.BidAsync(listing, i % 2 == 0 ? "D-A" : "D-B", 1_000_00 + (i * 50_00));
        await signals.FellBehind.WaitAsync(Patience);
        slow.Open();

        var ended = await Assert.ThrowsAsync<RpcException>(() => watching);
        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.Equal($"this stream fell behind listing {listing.ListingId}: reconnect with after_sequence set to the last sequence you received", ended.Status.Detail);
        // The snapshot plus at most a queue's worth: nothing beyond the bound was held for it.
        Assert.InRange(slow.Written.Count, 2, 1 + QueueCapacity + 1);
        var received = slow.Written.Where(e => e.KindCase == ListingEvent.KindOneofCase.BidPlaced).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, received.Count).Select(n => (long)n), received);

        var resumed = new GatedStreamWriter();
        resumed.Open();
        using var stop = new CancellationTokenSource();
        var again = hub.WatchListingAsync(listing.ListingId, received[^1], caller, resumed, stop.Token);
        await resumed.LastBid(20).WaitAsync(Patience);
        await stop.CancelAsync();
        await again;
        var rest = resumed.Written.Where(e => e.KindCase == ListingEvent.KindOneofCase.BidPlaced).Select(e => e.Sequence);
        Assert.Equal(Enumerable.Range(received.Count + 1, 20 - received.Count).Select(n => (long)n), rest);
        await hub.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SlowReaderAmongFastOnes_FastOnesGetEveryEventWhileItIsStalled_ItAloneIsEnded()
    {
        using var meters = new TestMeters();
        using var signals = new StreamSignals(meters);
        var auction = new TestAuction(redis.Connection);
        var hub = await StartHubAsync(auction, meters);
        var listing = await auction.CreateAsync(opening: 1_000_00);
        using var stop = new CancellationTokenSource();
        var slow = new GatedStreamWriter();
        var slowWatching = hub.WatchListingAsync(listing.ListingId, 0, new Caller("D-SLOW", RoleNames.Buyer), slow, CancellationToken.None);
        var fast = Enumerable.Range(0, 3).Select(_ => new GatedStreamWriter()).ToArray();
        foreach (var writer in fast)
            writer.Open();
        var fastWatching = fast.Select((writer, i) => hub.WatchListingAsync(listing.ListingId, 0, new Caller($"D-FAST-{i}", RoleNames.Buyer), writer, stop.Token)).ToArray();
        await signals.Joins(1 + fast.Length).WaitAsync(Patience);

        // Five times the slow reader's queue: it stays stalled throughout.
        for (var i = 0; i < 20; i++)
            await auction.BidAsync(listing, i % 2 == 0 ? "D-A" : "D-B", 1_000_00 + (i * 50_00));

        // Every fast reader has every event while the slow one has still read nothing, not even its snapshot.
        await Task.WhenAll(fast.Select(writer => writer.LastBid(20))).WaitAsync(Patience);
        Assert.Empty(slow.Written);
        foreach (var writer in fast)
            Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), writer.Written.Where(e => e.KindCase == ListingEvent.KindOneofCase.BidPlaced).Select(e => e.Sequence));
        await signals.FellBehind.WaitAsync(Patience);
        Assert.All(fastWatching, watching => Assert.False(watching.IsCompleted));

        slow.Open();
        var ended = await Assert.ThrowsAsync<RpcException>(() => slowWatching);
        Assert.Equal(StatusCode.ResourceExhausted, ended.StatusCode);
        Assert.InRange(slow.Written.Count, 2, 1 + QueueCapacity + 1);
        await stop.CancelAsync();
        await Task.WhenAll(fastWatching);
        await hub.StopAsync(CancellationToken.None);
    }

    /// <summary>The hub's own meters, heard as they are recorded: when a watcher joins the live feed and when one falls behind.</summary>
    private sealed class StreamSignals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _fellBehind = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(int Count, TaskCompletionSource Reached)> _joins = [];
        private int _joinCount;

        public StreamSignals(TestMeters meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (meters.Made(instrument, AuctionMetrics.MeterName))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == AuctionMetrics.ListingWatchers && value > 0)
                {
                    _joined.TrySetResult();
                    lock (_joins)
                    {
                        _joinCount++;
                        foreach (var (count, reached) in _joins.Where(j => j.Count <= _joinCount))
                            reached.TrySetResult();
                    }
                }
                else if (instrument.Name == AuctionMetrics.StreamsFellBehind)
                    _fellBehind.TrySetResult();
            });
            _listener.Start();
        }

        public Task Joined => _joined.Task;

        /// <summary>Completes once this many watchers have joined the live feed.</summary>
        public Task Joins(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_joins)
            {
                if (_joinCount >= count)
                    return Task.CompletedTask;
                _joins.Add((count, reached));
            }

            return reached.Task;
        }

        public Task FellBehind => _fellBehind.Task;

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A stream writer whose reader reads nothing until <see cref="Open"/>: a dealer on a stalled connection.</summary>
    private sealed class GatedStreamWriter : IServerStreamWriter<ListingEvent>
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(long Sequence, TaskCompletionSource Reached)> _awaited = [];

        public List<ListingEvent> Written { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public void Open() => _open.TrySetResult();

        /// <summary>Completes once the bid event with this sequence has been written.</summary>
        public Task LastBid(long sequence)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Written)
            {
                if (Written.Any(e => e.Sequence == sequence && e.KindCase == ListingEvent.KindOneofCase.BidPlaced))
                    return Task.CompletedTask;
                _awaited.Add((sequence, reached));
            }

            return reached.Task;
        }

        public Task WriteAsync(ListingEvent message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(ListingEvent message, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken);
            lock (Written)
            {
                Written.Add(message);
                if (message.KindCase == ListingEvent.KindOneofCase.BidPlaced)
                {
                    foreach (var (sequence, reached) in _awaited.Where(a => a.Sequence == message.Sequence))
                        reached.TrySetResult();
                }
            }
        }
    }
}
