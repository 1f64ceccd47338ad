namespace Remarketing.Inspection.Domain;

/// <summary>A case to inspect, as Quote hands it off (or the remarketing center orders it).</summary>
public sealed record OrderSchedule(
    string RequestId,
    string CaseId,
    string AccountId,
    InspectedVehicle Vehicle,
    string GroundingDealerId,
    string DealerState,
    long OdometerMiles,
    bool EarlyTermination,
    long ResidualValueCents,
    string Reason);
