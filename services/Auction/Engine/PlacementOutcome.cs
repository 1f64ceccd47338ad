namespace Remarketing.Auction.Engine;

public enum PlacementOutcome
{
    /// <summary>The bid was decided now.</summary>
    Answered,

    /// <summary>A retry of a bid decided before: its first answer.</summary>
    Repeated,

    /// <summary>The bid id was used for a different bid.</summary>
    Conflict,
    NotFound,
    OwnListing,

    /// <summary>The listing is live but its indexes or its vehicle's claim disagree: nothing is decided until an operator looks.</summary>
    Held,
}
