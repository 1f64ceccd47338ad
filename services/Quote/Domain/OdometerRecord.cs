namespace Remarketing.Quote.Domain;

public sealed record OdometerRecord(long Miles, bool SignedByLessee, DateTimeOffset RecordedAt);
