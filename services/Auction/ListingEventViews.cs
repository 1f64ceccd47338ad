using Google.Protobuf.WellKnownTypes;
using Remarketing.Auction.Engine;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Auction;

/// <summary>Turns a stored event (which names dealers) into what a watcher sees (aliases only).</summary>
public static class ListingEventViews
{
    /// <summary>The event for one caller.</summary>
    public static ListingEvent For(StoredEvent stored, Caller caller)
    {
        var (forLeader, forOthers, leader) = ForEveryone(stored);
        return caller.Role == RoleNames.Buyer && caller.Subject == leader ? forLeader : forOthers;
    }

    /// <summary>
    /// The two views of one event, built once for all watchers: for the dealer it names as leader
    /// or winner, and for everyone else.
    /// </summary>
    public static (ListingEvent ForLeader, ListingEvent ForOthers, string LeaderDealerId) ForEveryone(StoredEvent stored)
    {
        var forOthers = new ListingEvent { Sequence = stored.Sequence, OccurredAt = Timestamp.FromDateTimeOffset(stored.OccurredAt) };
        switch (stored.Type)
        {
            case "bid":
                forOthers.BidPlaced = new BidPlaced
                {
                    BidderAlias = ListingViews.Alias((int)stored.Number("a")),
                    CurrentPriceCents = stored.Number("p"),
                    MinimumNextBidCents = stored.Number("n"),
                    Proxy = stored.Number("x") == 1,
                    FloorMet = stored.Number("f") == 1,
                    BidCount = (int)stored.Number("c"),
                };
                break;
            case "ext":
                forOthers.Extended = new ListingExtended { EndsAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(stored.Number("e"))) };
                return (forOthers, forOthers, "");
            case "close":
                forOthers.Closed = new ListingClosed
                {
                    State = ListingViews.ToProto(ListingRecord.ParseStatus(stored.Text("s"))),
                    SalePriceCents = stored.Number("p"),
                    WinnerAlias = ListingViews.Alias((int)stored.Number("a")),
                };
                break;
            default:
                throw new InvalidOperationException($"unknown event type '{stored.Type}' at sequence {stored.Sequence}");
        }

        var forLeader = forOthers.Clone();
        if (forLeader.KindCase == ListingEvent.KindOneofCase.BidPlaced)
            forLeader.BidPlaced.CallerIsHighBidder = true;
        else
            forLeader.Closed.CallerWon = true;
        return (forLeader, forOthers, stored.Type == "bid" ? stored.Text("l") : stored.Text("w"));
    }
}
