using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task SlowReader_QueueBounded_StreamEndsResourceExhausted_AndResumingFromItsLastSequenceMissesNothing()
    {
        using var signals = new StreamSignals();
        var auction = new TestAuction(redis.Connection);
        var streams = new StreamOptions { QueueCapacity = QueueCapacity, HeartbeatInterval = TimeSpan.FromMinutes(5) };
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = Microsoft.Extensions.Options.Options.Create(streams);
        var metrics = new AuctionStreamMetrics(services.GetRequiredService<IMeterFactory>());
        var hub = new ListingEventHub(redis.Connection, auction.Engine, new MarketFeed(auction.Engine, auction.Clock, options, metrics),
            new MyBidsNotices(redis.Connection, auction.Clock, options, metrics), auction.Clock, options, metrics, NullLogger<ListingEventHub>.Instance);
        await hub.StartAsync(CancellationToken.None);
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

    /// <summary>The hub's own meters, heard as they are recorded: when a watcher joins the live feed and when one falls behind.</summary>
    private sealed class StreamSignals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _fellBehind = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StreamSignals()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AuctionStreamMetrics.MeterName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == AuctionStreamMetrics.ListingWatchers && value > 0)
                    _joined.TrySetResult();
                else if (instrument.Name == AuctionStreamMetrics.StreamsFellBehind)
                    _fellBehind.TrySetResult();
            });
            _listener.Start();
        }

        public Task Joined => _joined.Task;

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
