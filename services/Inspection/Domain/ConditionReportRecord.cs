namespace Remarketing.Inspection.Domain;

/// <summary>A submitted condition report with the service's decisions: findings, grade, eligibility and price.</summary>
public sealed record ConditionReportRecord(
    string ReportId,
    string OrderId,
    string CaseId,
    string GroundingDealerId,
    InspectedVehicle Vehicle,
    long OdometerMiles,
    int GradeTenths,
    IReadOnlyList<FindingRecord> Findings,
    bool Eligible,
    IReadOnlyList<string> EligibilityReasons,
    ListingPrice Price,
    string InspectorId,
    DateTimeOffset InspectedAt)
{
    public long ExcessWearTotalCents => Findings.Sum(finding => finding.ChargeCents);

    public IEnumerable<FindingRecord> Chargeable => Findings.Where(finding => finding.Chargeable);
}
