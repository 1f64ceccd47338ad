namespace Remarketing.Quote.Domain;

/// <summary>How the auction of a returned vehicle ended.</summary>
public sealed record AuctionReport(string RequestId, string CaseId, string ListingId, bool Sold, long SalePriceCents, DateTimeOffset? ClosedAt);
