using System.Threading.Channels;
using Grpc.Core;

namespace Remarketing.Testing;

/// <summary>An <see cref="IServerStreamWriter{T}"/> whose messages a test reads as they are written.</summary>
public sealed class RecordingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly Channel<T> _written = Channel.CreateUnbounded<T>();
    private int _writing;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        // The contract of IServerStreamWriter: never two writes at once.
        if (Interlocked.Exchange(ref _writing, 1) == 1)
            throw new InvalidOperationException("concurrent WriteAsync on a server stream");
        _written.Writer.TryWrite(message);
        Volatile.Write(ref _writing, 0);
        return Task.CompletedTask;
    }

    /// <summary>The next message written, waiting at most <paramref name="timeout"/>.</summary>
    public async Task<T> NextAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await _written.Reader.ReadAsync(cancellation.Token);
    }
}
