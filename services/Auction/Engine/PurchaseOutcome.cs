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
}
