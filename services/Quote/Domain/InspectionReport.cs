namespace Remarketing.Quote.Domain;

/// <summary>The third-party inspection of a returned vehicle.</summary>
public sealed record InspectionReport(
    string RequestId, string CaseId, string ConditionReportId, long OdometerMiles, IReadOnlyList<WearItem> ExcessWear, DateTimeOffset? InspectedAt);
