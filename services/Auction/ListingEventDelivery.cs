using Google.Protobuf;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>
/// One stored event as its streams send it, each view encoded once: for the dealer it names as
/// leader or winner, for everyone else, and (for the gateway's relay) both in one message.
/// </summary>
public sealed class ListingEventDelivery
{
    private EncodedMessage<RelayedListingEvent>? _relayed;

    private ListingEventDelivery(long sequence, EncodedMessage<ListingEvent> forLeader, EncodedMessage<ListingEvent> forOthers, string leader)
    {
        Sequence = sequence;
        ForLeader = forLeader;
        ForOthers = forOthers;
        Leader = leader;
    }

    public long Sequence { get; }

    public EncodedMessage<ListingEvent> ForLeader { get; }

    public EncodedMessage<ListingEvent> ForOthers { get; }

    /// <summary>The dealer the event names as leader or winner; empty when it names none.</summary>
    public string Leader { get; }

    /// <summary>Both views in one message, for the gateway's relay; encoded the first time it is asked for.</summary>
    public EncodedMessage<RelayedListingEvent> Relayed => _relayed ??= EncodedMessage.Encode(new RelayedListingEvent
    {
        Sequence = Sequence,
        Views = new RelayedViews
        {
            ForOthers = ByteString.CopyFrom(ForOthers.Frame.Span[EncodedMessage.FrameHeaderBytes..]),
            ForLeader = ReferenceEquals(ForLeader, ForOthers) ? ByteString.Empty : ByteString.CopyFrom(ForLeader.Frame.Span[EncodedMessage.FrameHeaderBytes..]),
            LeaderDealerId = Leader,
        },
    });

    public static ListingEventDelivery Of(StoredEvent stored)
    {
        var (leaderView, othersView, leader) = ListingEventViews.ForEveryone(stored);
        var forOthers = EncodedMessage.Encode(othersView);
        var forLeader = ReferenceEquals(leaderView, othersView) ? forOthers : EncodedMessage.Encode(leaderView);
        return new ListingEventDelivery(stored.Sequence, forLeader, forOthers, leader);
    }

    /// <summary>The view <paramref name="caller"/> may see: the leader's only for the buyer it names.</summary>
    public EncodedMessage<ListingEvent> ViewFor(Caller caller) =>
        ListingAccess.IsBuyer(caller, Leader) ? ForLeader : ForOthers;
}
