namespace Remarketing.Quote.Domain;

/// <summary>A SmartAuction listing a case went on: a vehicle has one disposal, so while it is open nothing else sells the car.</summary>
public sealed record OpenListingRecord(string ListingId, DateTimeOffset OpenedAt);
