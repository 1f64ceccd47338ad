
namespace Remarketing.Auction.Tests;

/// <summary>A server stream read in the background, so a test can wait for what it expects.</summary>
public sealed class StreamRecorder<T> : IAsyncDisposable where T : IMessage
{
    private readonly AsyncServerStreamingCall<T> _call;
    private readonly System.Threading.Channels.Channel<T> _received = System.Threading.Channels.Channel.CreateUnbounded<T>();
    private readonly Task _reading;

    public StreamRecorder(AsyncServerStreamingCall<T> call)
    {
        _call = call;
        _reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync())
                    _received.Writer.TryWrite(message);
                _received.Writer.TryComplete();
            }
            catch (Exception exception)
            {
                _received.Writer.TryComplete(exception);
            }
        });
    }

    /// <summary>Every message received so far, in order.</summary>
    public List<T> All { get; } = [];

    /// <summary>The next message that matches, keeping every message read on the way in <see cref="All"/>.</summary>
    public async Task<T> NextAsync(Func<T, bool> matches, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? AuctionSystemFixture.Patience);
        while (true)
        {
            var message = await _received.Reader.ReadAsync(cancellation.Token);
            All.Add(message);
            if (matches(message))
                return message;
        }
    }

    /// <summary>How the stream ended: the status it ended with.</summary>
    public async Task<RpcException> EndAsync()
    {
        using var cancellation = new CancellationTokenSource(AuctionSystemFixture.Patience);
        try
        {
            while (true)
                All.Add(await _received.Reader.ReadAsync(cancellation.Token));
        }
        catch (System.Threading.Channels.ChannelClosedException closed) when (closed.InnerException is RpcException status)
        {
            return status;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception)
        {
            // Cancelled by the dispose.
        }
    }
}
