using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Transport;

/// <summary>One WatchOrder stream: its caller, the last sequence of the order's log it has passed, its pump, and what wakes it.</summary>
public sealed class OrderWatcher : IDisposable
{
    private readonly SemaphoreSlim _woken = new(0, 1);
    private long _delivered;

    public OrderWatcher(string orderId, Caller caller, long afterSequence, StreamOptions options, HeartbeatTicker ticker, TimeProvider clock)
    {
        OrderId = orderId;
        Caller = caller;
        _delivered = afterSequence;
        Pump = new ServerStreamPump<PickupOrderEvent>(options, () => new PickupOrderEvent { Sequence = Delivered, Heartbeat = Heartbeats.Now(clock) }, ticker);
    }

    public string OrderId { get; }

    public Caller Caller { get; }

    /// <summary>The sequence of the last log entry passed to this watcher (shown, or not its to see).</summary>
    public long Delivered
    {
        get => Interlocked.Read(ref _delivered);
        set => Interlocked.Exchange(ref _delivered, value);
    }

    public ServerStreamPump<PickupOrderEvent> Pump { get; }

    /// <summary>Something may have changed: the watcher reads the log again.</summary>
    public void Wake()
    {
        try
        {
            _woken.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken and not yet looked: one look sees both changes.
        }
        catch (ObjectDisposedException)
        {
            // The stream has ended.
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _woken.WaitAsync(cancellationToken);

    public void Dispose() => _woken.Dispose();
}
