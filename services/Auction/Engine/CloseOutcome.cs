namespace Remarketing.Auction.Engine;

public enum CloseOutcome
{
    Closed,
    AlreadyEnded,
    NotDue,
    NotFound,

    /// <summary>The listing is live but its indexes or its vehicle's claim disagree: it is not closed (sold) until an operator looks; withdrawing it is allowed.</summary>
    Held,
}
