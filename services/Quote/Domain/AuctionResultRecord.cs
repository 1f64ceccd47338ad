using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

public sealed record AuctionResultRecord(string ListingId, bool Sold, long SalePriceCents, DateTimeOffset ClosedAt);
