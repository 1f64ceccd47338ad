namespace Remarketing.Transport.Domain;

/// <summary>A pickup to order; <paramref name="Kind"/> and <paramref name="Vehicle"/> are null when the request names none.</summary>
public sealed record NewPickup(
    string RequestId,
    PickupType? Kind,
    string CaseId,
    string ListingId,
    VehicleRecord? Vehicle,
    string GroundingDealerId,
    string BuyerDealerId,
    string ProofOfSaleId,
    string Destination);
