namespace Remarketing.Auction.Engine;

public enum EventKind
{
    Bid,

    /// <summary>A soft-close extension of the end.</summary>
    Extension,
    Close,
}
