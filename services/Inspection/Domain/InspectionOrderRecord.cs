namespace Remarketing.Inspection.Domain;

/// <summary>One returned vehicle to inspect, as Quote's hand-off ordered it.</summary>
public sealed record InspectionOrderRecord(
    string OrderId,
    string CaseId,
    string AccountId,
    InspectedVehicle Vehicle,
    string GroundingDealerId,
    string DealerState,
    long OdometerMiles,
    bool EarlyTermination,
    long ResidualValueCents,
    string Reason,
    OrderState State,
    DateTimeOffset OrderedAt,
    DateTimeOffset DueBy,
    string InspectionCompany,
    string RemarketingCenterReason)
{
    /// <summary>The inspector who accepted it (its token subject).</summary>
    public string? InspectorId { get; init; }

    public string? ConditionReportId { get; init; }

    /// <summary>The traceparent of the vehicle's journey, kept when this record was made: hand-offs about it are sent in that trace.</summary>
    public string Journey { get; init; } = "";

    public bool IsOverdue(DateTimeOffset now) => State is OrderState.Open or OrderState.Accepted && now > DueBy;
}
