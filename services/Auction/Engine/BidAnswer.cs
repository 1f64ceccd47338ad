using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Auction.Engine;

/// <summary>The engine's answer to a bid: the same for every retry of its bid id.</summary>
public sealed record BidAnswer(
    bool Accepted,
    BidRejection Rejection,
    long CurrentPriceCents,
    long MinimumNextBidCents,
    bool CallerLeads,
    long Sequence,
    DateTimeOffset EndsAt,
    bool FloorMet,
    long CallerMaximumCents)
{
    /// <summary>What the caller can do about a rejection.</summary>
    public string Message => Rejection switch
    {
        BidRejection.None when CallerLeads => "accepted: you are the high bidder",
        BidRejection.None => $"accepted, but a proxy maximum outbid you: bid at least {Cents.Format(MinimumNextBidCents)}",
        BidRejection.BelowMinimum => $"bid at least {Cents.Format(MinimumNextBidCents)}",
        BidRejection.ListingClosed => "the listing has ended",
        BidRejection.MaximumLowered => $"your maximum is {Cents.Format(CallerMaximumCents)}: a maximum can be raised, never lowered",
        BidRejection.MaximumBelowAmount => "the maximum must be at least the bid amount",
        BidRejection.AlreadyLeading => $"you already lead with a maximum of {Cents.Format(CallerMaximumCents)}: to go higher, raise your maximum",
        _ => "",
    };
}
