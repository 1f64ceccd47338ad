namespace Remarketing.Simulator.Bots;

/// <summary>
/// A listing as one buying dealer sees it through its own WatchListing stream and bid answers:
/// never the floor (only whether it is met) and never another dealer's maximum.
/// </summary>
public sealed record ListingView(
    string ListingId,
    string Make,
    string Model,
    int ModelYear,
    long OdometerMiles,
    int GradeTenths,
    DateTimeOffset OpensAt,
    DateTimeOffset EndsAt,
    long OpeningPriceCents,
    long CurrentPriceCents,
    long MinimumNextBidCents,
    long BuyNowPriceCents,
    bool FloorMet,
    int BidCount,
    bool CallerIsHighBidder,
    long CallerMaximumCents,
    bool Live,
    long LastSequence);
