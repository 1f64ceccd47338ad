namespace Remarketing.Auction.Engine;

public enum BidRejection
{
    None,
    BelowMinimum,
    ListingClosed,
    MaximumLowered,
    MaximumBelowAmount,
    AlreadyLeading,
}
