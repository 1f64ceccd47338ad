using Google.Protobuf.WellKnownTypes;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Auction;

/// <summary>Turns a stored event (which names dealers) into what a watcher sees (aliases only).</summary>
public static class ListingEventViews
{
    /// <summary>
    /// The two views of one event, built once for all watchers: for the dealer it names as leader
    /// or winner, and for everyone else.
    /// </summary>
    public static (ListingEvent ForLeader, ListingEvent ForOthers, string LeaderDealerId) ForEveryone(StoredEvent stored)
    {
        var forOthers = new ListingEvent { Sequence = stored.Sequence, OccurredAt = Timestamp.FromDateTimeOffset(stored.OccurredAt) };
        switch (stored.Kind)
        {
            case EventKind.Bid:
                forOthers.BidPlaced = new BidPlaced
                {
                    BidderAlias = ListingViews.Alias(stored.Alias),
                    CurrentPriceCents = stored.PriceCents,
                    MinimumNextBidCents = stored.MinimumNextBidCents,
                    Proxy = stored.Proxy,
                    FloorMet = stored.FloorMet,
                    BidCount = stored.BidCount,
                };
                break;
            case EventKind.Extension:
                forOthers.Extended = new ListingExtended { EndsAt = Timestamp.FromDateTimeOffset(stored.NewEnd!.Value) };
                return (forOthers, forOthers, "");
            default:
                forOthers.Closed = new ListingClosed
                {
                    State = ListingViews.ToProto(stored.Status!.Value),
                    SalePriceCents = stored.PriceCents,
                    WinnerAlias = ListingViews.Alias(stored.Alias),
                };
                break;
        }

        var forLeader = forOthers.Clone();
        if (forLeader.KindCase == ListingEvent.KindOneofCase.BidPlaced)
            forLeader.BidPlaced.CallerIsHighBidder = true;
        else
            forLeader.Closed.CallerWon = true;
        return (forLeader, forOthers, stored.Kind == EventKind.Bid ? stored.Leader : stored.Winner);
    }
}
