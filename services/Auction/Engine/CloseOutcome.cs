namespace Remarketing.Auction.Engine;

public enum CloseOutcome
{
    Closed,
    AlreadyEnded,
    NotDue,
    NotFound,
}
