namespace Remarketing.Quote.Domain;

public sealed record ExtensionRecord(int Days, long FeeCents, DateOnly NewMaturityDate, DateTimeOffset GrantedAt);
