using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>One WatchListing stream: its caller, the last sequence queued for it, and its pump.</summary>
public sealed class ListingWatcher
{
    public ListingWatcher(string listingId, Caller caller, long delivered, StreamOptions options, TimeProvider clock)
    {
        ListingId = listingId;
        Caller = caller;
        Delivered = delivered;
        Pump = new ServerStreamPump<ListingEvent>(options, () => new ListingEvent
        {
            Sequence = Delivered,
            OccurredAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Heartbeat = Heartbeats.Now(clock),
        });
    }

    public string ListingId { get; }

    public Caller Caller { get; }

    /// <summary>The sequence of the last event queued for this watcher.</summary>
    public long Delivered { get; set; }

    public ServerStreamPump<ListingEvent> Pump { get; }

    /// <summary>True once the watcher's stream was ended because it fell behind.</summary>
    public bool FellBehind { get; private set; }

    /// <summary>False when the stream has ended, or the watcher has fallen behind and its stream is ended now.</summary>
    public bool Deliver(long sequence, EncodedMessage<ListingEvent> view)
    {
        if (sequence <= Delivered)
            return true;
        if (!Pump.TryPublish(view))
        {
            // A stream that has ended (its client left) did not fall behind.
            if (Pump.IsClosed)
                return false;
            FellBehind = true;
            Pump.Fail(new RpcException(new Status(StatusCode.ResourceExhausted,
                $"this stream fell behind listing {ListingId}: reconnect with after_sequence set to the last sequence you received")));
            return false;
        }

        Delivered = sequence;
        return true;
    }
}
