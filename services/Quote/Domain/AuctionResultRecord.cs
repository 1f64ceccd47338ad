namespace Remarketing.Quote.Domain;

public sealed record AuctionResultRecord(string ListingId, bool Sold, long SalePriceCents, DateTimeOffset ClosedAt);
