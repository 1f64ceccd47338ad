namespace Remarketing.Quote.Domain;

public sealed record InspectionRecord(string ConditionReportId, long OdometerMiles, IReadOnlyList<WearItem> ExcessWear, DateTimeOffset InspectedAt);
