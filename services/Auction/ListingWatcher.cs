using Grpc.Core;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>A stream a listing's feed writes to: a dealer's WatchListing, or the gateway's RelayListing.</summary>
public interface IListingSubscriber
{
    string ListingId { get; }

    /// <summary>The sequence of the last event queued for this stream.</summary>
    long Delivered { get; }

    /// <summary>True once the stream was ended because it fell behind.</summary>
    bool FellBehind { get; }

    /// <summary>False when the stream has ended, or has fallen behind and is ended now.</summary>
    bool Deliver(ListingEventDelivery delivery);

    /// <summary>Queues an event of the backlog the stream asked for, at its reader's pace.</summary>
    ValueTask CatchUpAsync(ListingEventDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>One stream of a listing's events, in the view <c>view</c> picks from each delivery.</summary>
public sealed class ListingWatcher<T> : IListingSubscriber
{
    private readonly Func<ListingEventDelivery, EncodedMessage<T>> _view;
    private readonly Status _fellBehind;

    public ListingWatcher(string listingId, long delivered, StreamOptions options, HeartbeatTicker ticker, Func<long, T> heartbeat, Func<ListingEventDelivery, EncodedMessage<T>> view)
    {
        ListingId = listingId;
        Delivered = delivered;
        _view = view;
        _fellBehind = Remarketing.ServiceDefaults.Streaming.FellBehind.Listing(listingId);
        Pump = new ServerStreamPump<T>(options, () => heartbeat(Delivered), ticker);
    }

    public string ListingId { get; }

    public long Delivered { get; private set; }

    public ServerStreamPump<T> Pump { get; }

    public bool FellBehind => Pump.FellBehind;

    public bool Deliver(ListingEventDelivery delivery)
    {
        if (delivery.Sequence <= Delivered)
            return true;
        if (!Pump.TryPublishLive(_view(delivery), _fellBehind))
            return false;
        Delivered = delivery.Sequence;
        return true;
    }

    public async ValueTask CatchUpAsync(ListingEventDelivery delivery, CancellationToken cancellationToken)
    {
        await Pump.PublishAsync(_view(delivery).Message, cancellationToken);
        Delivered = delivery.Sequence;
    }
}
