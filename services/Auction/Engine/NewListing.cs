namespace Remarketing.Auction.Engine;

/// <summary>What a caller asks to list; validated by the engine.</summary>
public sealed record NewListing(
    string RequestId,
    string Vin,
    string GroundingDealerId,
    long FloorPriceCents,
    long BuyNowPriceCents,
    TimeSpan? Window,
    int ModelYear,
    string Make,
    string Model,
    string Trim,
    long OdometerMiles,
    int ConditionGradeTenths,
    long OpeningPriceCents,
    string CaseId,
    string ConditionReportId);
