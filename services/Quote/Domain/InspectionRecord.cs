using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

public sealed record InspectionRecord(string ConditionReportId, long OdometerMiles, IReadOnlyList<WearItem> ExcessWear, DateTimeOffset InspectedAt);
