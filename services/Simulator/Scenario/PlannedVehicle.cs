namespace Remarketing.Simulator.Scenario;

/// <summary>How the grounding dealer disposes of a returned vehicle (the contract's ReturnDisposition).</summary>
public enum LeaseEnd
{
    LesseeReturn,
    DealerPurchaseForLessee,
    DealerPurchaseForInventory,
}

/// <summary>The contract terms the back office opens the account with. Amounts in whole cents.</summary>
public sealed record PlannedLease(
    string AccountId,
    string Vin,
    int ModelYear,
    string Make,
    string Model,
    string Trim,
    string LesseeState,
    DateOnly StartDate,
    DateOnly MaturityDate,
    int TermMonths,
    long MonthlyPaymentCents,
    long AdjustedCapitalizedCostCents,
    long AllowedMilesPerYear,
    long PurchasedAdditionalMiles,
    long PurchasedMilePriceCents,
    long ExcessMileageRateCentsPerMile,
    long StartingOdometerMiles,
    long ResidualCents,
    long PurchaseOptionFeeCents,
    long DispositionFeeCents,
    long SecurityDepositCents,
    long PastDueCents,
    int SalesTaxRateBasisPoints,
    long UnpaidPersonalPropertyTaxCents,
    long ExtensionDailyFeeCents);

/// <summary>The return as the grounding dealer notifies it.</summary>
public sealed record PlannedReturn(
    DateOnly ReturnDate,
    long OdometerMiles,
    LeaseEnd Disposition,
    string GroundingDealerId,
    string DealerState,
    int Keys,
    int KeylessRemotes,
    bool OwnersManual);

/// <summary>How long each person in the vehicle's story takes, from the step before theirs.</summary>
/// <param name="InspectorAccepts">From the order to the inspector accepting it.</param>
/// <param name="InspectorReports">From accepting to the condition report (a few run past the order's due time).</param>
/// <param name="CenterReports">From an order queued for the remarketing center (AK, HI, SD) to its report.</param>
/// <param name="CarrierAssigns">From a transporter pickup being ordered to a carrier taking it.</param>
/// <param name="PickerArrives">From the buyer learning of its win, or the carrier taking the order, to arriving at the lot.</param>
/// <param name="DeliveryTakes">From the release to the delivery.</param>
/// <param name="WrongDocumentFirst">The picker first shows the wrong document at the lot (which must be refused).</param>
public sealed record Pace(
    TimeSpan InspectorAccepts,
    TimeSpan InspectorReports,
    TimeSpan CenterReports,
    TimeSpan CarrierAssigns,
    TimeSpan PickerArrives,
    TimeSpan DeliveryTakes,
    bool WrongDocumentFirst);

/// <summary>
/// One vehicle's story as the scenario plans it, in offsets from the simulation's start: the
/// account is opened, maybe extended, the vehicle returned, maybe bought by the dealer within the
/// hold; its condition is what the inspector will see.
/// </summary>
/// <param name="PurchaseCompletesAfter">A dealer purchase: how long after the return the dealer completes it; null = the 72-hour hold lapses.</param>
/// <param name="Extension">Days the remarketing center extends the lease by, and when; null = none.</param>
public sealed record PlannedVehicle(
    int Index,
    TimeSpan OpenAt,
    TimeSpan ReturnAt,
    PlannedLease Lease,
    PlannedReturn Return,
    (TimeSpan At, int Days)? Extension,
    TimeSpan? PurchaseCompletesAfter,
    VehicleCondition Condition,
    Pace Pace)
{
    public bool EarlyTermination => Return.ReturnDate < Lease.MaturityDate;

    public bool InRemarketingCenterState => Return.DealerState is "AK" or "HI" or "SD";
}
