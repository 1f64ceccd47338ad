namespace Remarketing.Auction.Engine;

public enum ListingStatus
{
    Live,
    Sold,
    Unsold,
    Withdrawn,
}
