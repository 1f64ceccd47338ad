using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using Remarketing.Transport.Domain;
using StackExchange.Redis;

namespace Remarketing.Transport;

/// <summary>
/// The WatchOrder streams of one instance. Each order's log (a Redis stream, written in the same
/// transaction as the order) is the truth; a pub/sub message after each change wakes the streams
/// watching that order, and every stream also looks again once a heartbeat interval, in case a
/// message was lost. Each stream reads the log after its own last sequence, so it misses nothing
/// and gets nothing twice, and waits for its reader rather than buffering without bound.
/// </summary>
public sealed partial class OrderWatchHub(
    IConnectionMultiplexer redis, TransportStore store, PickupDesk desk, TimeProvider clock, IOptions<StreamOptions> streams, HeartbeatTicker ticker, ILogger<OrderWatchHub> logger)
    : IHostedService, IAsyncDisposable
{
    private const int PageSize = 100;

    private readonly Dictionary<string, HashSet<OrderWatcher>> _watchers = new(StringComparer.Ordinal);
    private ChannelMessageQueue? _changes;
    private ITimer? _lookAgain;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _changes = await redis.GetSubscriber().SubscribeAsync(TransportStore.Changes);
        _changes.OnMessage(message => WakeWatchersOf(((string?)message.Message ?? "").Split(' ')[0]));
        var interval = streams.Value.HeartbeatInterval;
        _lookAgain = TimeProvider.System.CreateTimer(_ => WakeEveryone(), null, interval, interval);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_lookAgain is not null)
            await _lookAgain.DisposeAsync();
        await _changes.EndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_lookAgain is not null)
            await _lookAgain.DisposeAsync();
    }

    /// <summary>The order as it stands, then its log after <paramref name="afterSequence"/>, then each change as it comes, until the caller leaves.</summary>
    public async Task WatchAsync(Caller caller, string orderId, long afterSequence, IServerStreamWriter<PickupOrderEvent> writer, CancellationToken cancellationToken)
    {
        var order = await desk.WatchableOrderAsync(caller, orderId, afterSequence);
        using var watcher = new OrderWatcher(order.OrderId, caller, afterSequence, streams.Value, ticker, clock);
        watcher.Pump.TryPublish(new PickupOrderEvent { Sequence = order.Sequence, Order = ProtoViews.ToProto(PickupAccess.SeenBy(caller, order), clock.GetUtcNow()) });
        Join(watcher);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = FeedAsync(watcher, stop.Token);
        try
        {
            await watcher.Pump.RunAsync(writer, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await feeding;
            Leave(watcher);
        }
    }

    private async Task FeedAsync(OrderWatcher watcher, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                IReadOnlyList<LoggedChange> changes;
                try
                {
                    changes = await store.LogAfterAsync(watcher.OrderId, watcher.Delivered, PageSize);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    CouldNotRead(logger, exception, watcher.OrderId);
                    await watcher.WaitAsync(cancellationToken);
                    continue;
                }

                foreach (var change in changes)
                {
                    if (!await ShowAsync(watcher, change, cancellationToken))
                        return;
                    watcher.Delivered = change.Sequence;
                }
                if (changes.Count < PageSize)
                    await watcher.WaitAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            // The caller left, or the stream ended.
        }
    }

    /// <summary>
    /// Queues the change if the caller may see it. A change it may not see is passed over; false
    /// (and the stream ended) when the order itself is no longer the caller's to see.
    /// </summary>
    private async Task<bool> ShowAsync(OrderWatcher watcher, LoggedChange change, CancellationToken cancellationToken)
    {
        var caller = watcher.Caller;
        if (PickupAccess.CanSee(caller, change.Order))
        {
            if (change.Change != OrderChange.ReleaseRefused || PickupAccess.SeesRefusals(caller))
            {
                await watcher.Pump.PublishAsync(
                    new PickupOrderEvent { Sequence = change.Sequence, Order = ProtoViews.ToProto(PickupAccess.SeenBy(caller, change.Order), change.At) }, cancellationToken);
            }
            return true;
        }
        // An earlier state the caller was not part of (another carrier's assignment) is history;
        // an order the caller is no longer part of ends the stream.
        if (await store.FindAsync(watcher.OrderId) is { } now && PickupAccess.CanSee(caller, now))
            return true;
        watcher.Pump.Fail(new RpcException(new Status(StatusCode.NotFound,
            $"pickup order {watcher.OrderId} is no longer yours to watch: another carrier is assigned to it")));
        return false;
    }

    private void Join(OrderWatcher watcher)
    {
        lock (_watchers)
        {
            if (!_watchers.TryGetValue(watcher.OrderId, out var watching))
                _watchers[watcher.OrderId] = watching = [];
            watching.Add(watcher);
        }
    }

    private void Leave(OrderWatcher watcher)
    {
        lock (_watchers)
        {
            if (_watchers.TryGetValue(watcher.OrderId, out var watching) && watching.Remove(watcher) && watching.Count == 0)
                _watchers.Remove(watcher.OrderId);
        }
    }

    private void WakeWatchersOf(string orderId)
    {
        OrderWatcher[] watching;
        lock (_watchers)
            watching = _watchers.TryGetValue(orderId, out var set) ? [.. set] : [];
        foreach (var watcher in watching)
            watcher.Wake();
    }

    private void WakeEveryone()
    {
        OrderWatcher[] watching;
        lock (_watchers)
            watching = [.. _watchers.Values.SelectMany(set => set)];
        foreach (var watcher in watching)
            watcher.Wake();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the log of pickup order {OrderId}; looking again at the next change or heartbeat interval")]
    private static partial void CouldNotRead(ILogger logger, Exception exception, string orderId);
}
