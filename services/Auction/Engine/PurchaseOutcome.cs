namespace Remarketing.Auction.Engine;

public enum PurchaseOutcome
{
    Bought,
    Repeated,
    NotFound,
    OwnListing,
    Closed,
    NoBuyNow,
    PriceReached,

    /// <summary>The listing is live but its indexes or its vehicle's claim disagree: it is not sold until an operator looks.</summary>
    Held,
}
