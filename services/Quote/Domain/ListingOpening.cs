namespace Remarketing.Quote.Domain;

/// <summary>The Auction service's ask before a SmartAuction listing for a case opens.</summary>
public sealed record ListingOpening(string RequestId, string CaseId, string ListingId, string Vin);
