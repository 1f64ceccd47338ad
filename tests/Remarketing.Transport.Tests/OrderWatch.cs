namespace Remarketing.Transport.Tests;

/// <summary>One open WatchOrder stream, called in process, and what it has written so far.</summary>
public sealed class OrderWatch : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly RecordingStreamWriter<PickupOrderEvent> _writer = new();

    public OrderWatch(TransportCalls calls, Caller caller, WatchOrderRequest request) =>
        Running = Task.Run(() => calls.WatchAsync(caller, request, _writer, _stop.Token));

    /// <summary>The call: ends when the watch is disposed, or with the status that ended the stream.</summary>
    public Task Running { get; }

    /// <summary>Every message taken so far, heartbeats included.</summary>
    public List<PickupOrderEvent> Seen { get; } = [];

    public async Task<PickupOrderEvent> NextAsync()
    {
        var message = await _writer.NextAsync(Patience);
        Seen.Add(message);
        return message;
    }

    /// <summary>The next order message, passing over heartbeats.</summary>
    public async Task<PickupOrderEvent> NextOrderAsync()
    {
        while (true)
        {
            var message = await NextAsync();
            if (message.KindCase == PickupOrderEvent.KindOneofCase.Order)
                return message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running;
        }
        catch (Exception exception) when (exception is OperationCanceledException or Grpc.Core.RpcException)
        {
        }
        _stop.Dispose();
    }
}
