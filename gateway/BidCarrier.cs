using Grpc.Core;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Gateway;

/// <summary>One BidStream to the Auction service, with the caller's forwarded identity.</summary>
internal sealed class BidCarrier : IDisposable
{
    /// <summary>How long a stream being closed waits for the service to end it before it is reset.</summary>
    private static readonly TimeSpan RetirePatience = TimeSpan.FromSeconds(5);

    private readonly AsyncDuplexStreamingCall<PlaceBidRequest, PlaceBidResponse> _call;
    private readonly DateTimeOffset _retireAt;
    private readonly CallerBidStreams _owner;
    private int _disposed;

    public BidCarrier(AsyncDuplexStreamingCall<PlaceBidRequest, PlaceBidResponse> call, DateTimeOffset openedAt, CallerBidStreams owner)
    {
        _call = call;
        _retireAt = openedAt + (BidCarriers.MaxAge * (0.5 + (Random.Shared.NextDouble() / 2)));
        LastUsed = openedAt;
        _owner = owner;
        owner.Opened();
    }

    public DateTimeOffset LastUsed { get; set; }

    public bool IsFitAt(DateTimeOffset now) => now - LastUsed < BidCarriers.MaxIdle && now < _retireAt;

    /// <summary>Sends the bid and reads its answer, past any heartbeat the stream sent while idle.</summary>
    public async Task<PlaceBidResponse> PlaceAsync(PlaceBidRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAndReadAsync(request, cancellationToken);
        }
        catch (Exception broken) when (broken is not RpcException && !cancellationToken.IsCancellationRequested)
        {
            // grpc-dotnet's own failures of a stream that broke under a write or a read (it ended,
            // its connection went, its call was cancelled on the way down): the service said nothing.
            throw new RpcException(new Status(StatusCode.Unavailable, "the bid stream broke", broken));
        }
    }

    private async Task<PlaceBidResponse> SendAndReadAsync(PlaceBidRequest request, CancellationToken cancellationToken)
    {
        await _call.RequestStream.WriteAsync(request, cancellationToken);
        while (await _call.ResponseStream.MoveNext(cancellationToken))
        {
            if (_call.ResponseStream.Current is not { Heartbeat: null } answer)
                continue;
            // One bid at a time makes this so; should it ever not be, no caller gets another's answer.
            if (answer.BidId != request.BidId)
                throw new RpcException(new Status(StatusCode.Unavailable, $"the bid stream answered bid {answer.BidId} for bid {request.BidId}", new InvalidOperationException("answers out of step")));
            return answer;
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "the bid stream ended without an answer", new EndOfStreamException()));
    }

    /// <summary>
    /// Ends an idle stream the way a client ends a stream it is done with: its side closed, the
    /// service's end read. Not a reset: the service's HTTP/2 server counts resets of streams it is
    /// still serving, and takes many at once for an attack (rapid reset) on the whole connection.
    /// </summary>
    public void Retire() => _ = RetireAsync();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _call.Dispose();
        _owner.Closed();
    }

    private async Task RetireAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
            using var patience = new CancellationTokenSource(RetirePatience);
            while (await _call.ResponseStream.MoveNext(patience.Token))
            {
            }
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or OperationCanceledException)
        {
            // It was ending anyway.
        }
        finally
        {
            Dispose();
        }
    }
}
