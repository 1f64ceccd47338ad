namespace Remarketing.Quote.Domain;

/// <summary>A grounding dealer reports a returned vehicle.</summary>
public sealed record ReturnNotice(
    string RequestId, string AccountId, string Vin, DateOnly? ReturnDate, long OdometerMiles, bool OdometerSignedByLessee,
    ReturnedItemsRecord ReturnedItems, string DealerState, Disposition? Disposition);
