using System.Threading.Channels;
using Grpc.Core;

namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>
/// The one writer of a server stream. Producers publish into a bounded queue from any thread
/// (<see cref="IAsyncStreamWriter{T}.WriteAsync(T)"/> must never run concurrently); the pump
/// writes the queue out in order and adds a heartbeat whenever the stream has been idle for a
/// heartbeat interval. A producer that finds the queue full ends the stream with
/// <see cref="Fail"/> rather than buffering without bound.
/// </summary>
public sealed class ServerStreamPump<T>
{
    private readonly Channel<T> _queue;
    private readonly Func<T> _heartbeat;
    private readonly TimeSpan _heartbeatInterval;
    private int _idle;

    public ServerStreamPump(StreamOptions options, Func<T> heartbeat)
    {
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _heartbeat = heartbeat;
        _heartbeatInterval = options.HeartbeatInterval;
    }

    /// <summary>Queues a message; false when the queue is full (the reader has fallen behind) or the stream has ended.</summary>
    public bool TryPublish(T message) => _queue.Writer.TryWrite(message);

    /// <summary>
    /// Queues a message, waiting while the queue is full: for a backlog the stream itself asked
    /// for (a resume), where the reader sets the pace. Live fan-out uses <see cref="TryPublish"/>.
    /// </summary>
    public ValueTask PublishAsync(T message, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(message, cancellationToken);

    /// <summary>Ends the stream with this status once the messages already queued are written.</summary>
    public void Fail(RpcException status) => _queue.Writer.TryComplete(status);

    /// <summary>Ends the stream normally once the messages already queued are written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes until the stream ends, fails or the call is cancelled.</summary>
    public async Task RunAsync(IServerStreamWriter<T> writer, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeats = SendHeartbeatsAsync(stop.Token);
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                Volatile.Write(ref _idle, 0);
                await writer.WriteAsync(message, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: a normal end of a stream.
        }
        finally
        {
            _queue.Writer.TryComplete();
            await stop.CancelAsync();
            await heartbeats;
        }
    }

    private async Task SendHeartbeatsAsync(CancellationToken cancellationToken)
    {
        // Ticks at half the interval: a tick marks the stream idle, the next one still finding it
        // idle sends the heartbeat, so an idle stream hears something at least once an interval.
        // Real time, not the shared clock: heartbeats keep proxies from cutting the connection.
        using var timer = new PeriodicTimer(_heartbeatInterval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Only when nothing else was written since the last tick; a full queue already
                // means the reader is behind, so the heartbeat is dropped, not queued.
                if (Interlocked.Exchange(ref _idle, 1) == 1)
                    _queue.Writer.TryWrite(_heartbeat());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
