using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

public sealed record ExtensionRecord(int Days, long FeeCents, DateOnly NewMaturityDate, DateTimeOffset GrantedAt);
