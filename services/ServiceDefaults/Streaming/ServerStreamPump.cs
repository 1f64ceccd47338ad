using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Grpc.Core;

namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>
/// The one writer of a server stream. Producers publish from any thread
/// (<see cref="IAsyncStreamWriter{T}.WriteAsync(T)"/> must never run concurrently); a message
/// published while the stream is not writing is written at once on the publisher's thread, so a
/// feed that publishes one event to many streams writes them all in one pass, with no task, queue
/// wait or timer of each stream's own; a stream whose previous write has not finished (its reader
/// is slow) keeps the message in its bounded queue. A producer that finds the queue full ends
/// the stream with <see cref="Fail"/> rather than buffering without bound. Idle streams get a
/// heartbeat at least once a heartbeat interval, from one timer shared by all streams. An
/// <see cref="EncodedMessage{T}"/> published to many streams is encoded once: its frame goes
/// straight to the response body once gRPC has sent the response headers.
/// </summary>
public sealed class ServerStreamPump<T> : IHeartbeatTarget
{
    private readonly Lock _lock = new();
    private readonly Queue<Outgoing> _queue = new();
    private readonly int _capacity;
    private readonly Func<T> _heartbeat;
    private readonly TimeSpan _heartbeatInterval;
    private readonly HeartbeatTicker _ticker;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IServerStreamWriter<T>? _writer;
    private PipeWriter? _body;
    private bool _headersSent;
    private CancellationToken _cancellation;
    private bool _writing;
    private bool _closed;
    private RpcException? _failure;
    private TaskCompletionSource? _space;
    private int _idle;
    private volatile bool _spoken;

    /// <param name="quietUntilFirstMessage">
    /// No heartbeat before the stream's first message: for a stream whose first message the
    /// contract names (WatchListing's snapshot) and which may start writing before it has it.
    /// </param>
    public ServerStreamPump(StreamOptions options, Func<T> heartbeat, HeartbeatTicker ticker, bool quietUntilFirstMessage = false)
    {
        _ticker = ticker;
        _capacity = options.QueueCapacity;
        _heartbeat = heartbeat;
        _heartbeatInterval = options.HeartbeatInterval;
        _spoken = !quietUntilFirstMessage;
    }

    /// <summary>True once the stream takes no more messages (ended, failed or completed).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_lock)
                return _closed;
        }
    }

    /// <summary>Queues (or writes) a message; false when the queue is full (the reader has fallen behind) or the stream has ended.</summary>
    public bool TryPublish(T message) => TryPublish(new Outgoing(message, default));

    /// <summary>As <see cref="TryPublish(T)"/>, for a message encoded once for many streams.</summary>
    public bool TryPublish(EncodedMessage<T> message) => TryPublish(new Outgoing(message.Message, message.Frame));

    /// <summary>True once the stream was ended by <see cref="TryPublishLive"/> because its reader fell behind.</summary>
    public bool FellBehind { get; private set; }

    /// <summary>
    /// Publishes a live message of a feed; a reader whose queue is full has fallen behind, and its
    /// stream is ended with <paramref name="fellBehind"/>. False when the stream has ended or is
    /// ended now (<see cref="FellBehind"/> tells which).
    /// </summary>
    public bool TryPublishLive(EncodedMessage<T> message, Status fellBehind)
    {
        if (TryPublish(message))
            return true;
        // A stream that has ended (its client left) did not fall behind.
        if (!IsClosed)
        {
            FellBehind = true;
            Fail(new RpcException(fellBehind));
        }

        return false;
    }

    private bool TryPublish(Outgoing message)
    {
        lock (_lock)
        {
            if (_closed || _queue.Count >= _capacity)
                return false;
            _queue.Enqueue(message);
            _spoken = true;
            if (!StartWriting())
                return true;
        }

        _ = WriteQueuedAsync();
        return true;
    }

    /// <summary>
    /// Queues a message, waiting while the queue is full: for a backlog the stream itself asked
    /// for (a resume), where the reader sets the pace. Live fan-out uses <see cref="TryPublish(T)"/>.
    /// Throws <see cref="ChannelClosedException"/> once the stream has ended.
    /// </summary>
    public async ValueTask PublishAsync(T message, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource space;
            lock (_lock)
            {
                if (_closed)
                    throw new ChannelClosedException(_failure);
                if (_queue.Count < _capacity)
                {
                    _queue.Enqueue(new Outgoing(message, default));
                    _spoken = true;
                    if (!StartWriting())
                        return;
                    break;
                }

                space = _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await space.Task.WaitAsync(cancellationToken);
        }

        _ = WriteQueuedAsync();
    }

    /// <summary>Ends the stream with this status once the messages already queued are written.</summary>
    public void Fail(RpcException status) => Close(status);

    /// <summary>Ends the stream normally once the messages already queued are written.</summary>
    public void Complete() => Close(null);

    /// <summary>
    /// Writes until the stream ends, fails or the call is cancelled. With the call's response
    /// <paramref name="body"/>, messages encoded once are written to it as they are.
    /// </summary>
    public async Task RunAsync(IServerStreamWriter<T> writer, CancellationToken cancellationToken, PipeWriter? body = null)
    {
        bool start;
        lock (_lock)
        {
            _writer = writer;
            _body = body;
            _cancellation = cancellationToken;
            start = StartWriting();
            if (!start && _closed)
                Finish();
        }

        if (start)
            _ = WriteQueuedAsync();
        // The client went away or the server is stopping: a normal end of a stream.
        await using var cancelled = cancellationToken.Register(() => End(null));
        _ticker.Add(this, _heartbeatInterval);
        try
        {
            await _ended.Task;
        }
        finally
        {
            _ticker.Remove(this, _heartbeatInterval);
            End(null);
        }
    }

    void IHeartbeatTarget.Tick()
    {
        // A tick marks the stream idle; the next one still finding it idle sends the heartbeat
        // (ticks come at half the interval). A full queue already means the reader is behind,
        // so the heartbeat is dropped, not queued.
        if (Interlocked.Exchange(ref _idle, 1) == 1 && _spoken)
            TryPublish(_heartbeat());
    }

    /// <summary>Under the lock: true when the caller is to start writing the queue out.</summary>
    private bool StartWriting()
    {
        if (_writer is null || _writing || _queue.Count == 0 || _ended.Task.IsCompleted)
            return false;
        _writing = true;
        return true;
    }

    private async Task WriteQueuedAsync()
    {
        try
        {
            while (true)
            {
                Outgoing message;
                TaskCompletionSource? space;
                lock (_lock)
                {
                    if (_ended.Task.IsCompleted || !_queue.TryDequeue(out message))
                    {
                        _writing = false;
                        if (_closed)
                            Finish();
                        return;
                    }

                    space = _space;
                    _space = null;
                }

                space?.TrySetResult();
                Volatile.Write(ref _idle, 0);
                await WriteAsync(message);
            }
        }
        catch (Exception exception)
        {
            End(exception);
        }
    }

    private async ValueTask WriteAsync(Outgoing message)
    {
        // The first message goes through gRPC, which sends the response headers before it.
        if (message.Frame.IsEmpty || _body is null || !_headersSent)
        {
            await _writer!.WriteAsync(message.Message, _cancellation);
            _headersSent = true;
            return;
        }

        _body.Write(message.Frame.Span);
        var flushed = await _body.FlushAsync(_cancellation);
        if (flushed.IsCompleted || flushed.IsCanceled)
            throw new OperationCanceledException("the response has ended");
    }

    private void Close(RpcException? failure)
    {
        TaskCompletionSource? space;
        lock (_lock)
        {
            if (_closed)
                return;
            _closed = true;
            _failure = failure;
            space = _space;
            _space = null;
            if (_writer is not null && !_writing)
                Finish();
        }

        space?.TrySetResult();
    }

    /// <summary>Under the lock: the queue is written out and the stream closed.</summary>
    private void Finish()
    {
        if (_failure is null)
            _ended.TrySetResult();
        else
            _ended.TrySetException(_failure);
    }

    /// <summary>Ends the stream at once: cancelled (normally) or a write failed.</summary>
    private void End(Exception? exception)
    {
        TaskCompletionSource? space;
        lock (_lock)
        {
            _closed = true;
            _queue.Clear();
            space = _space;
            _space = null;
        }

        space?.TrySetResult();
        if (exception is null || _cancellation.IsCancellationRequested)
            _ended.TrySetResult();
        else
            _ended.TrySetException(exception);
    }

    /// <summary>A queued message, with its frame when it was encoded once for many streams.</summary>
    private readonly record struct Outgoing(T Message, ReadOnlyMemory<byte> Frame);
}
