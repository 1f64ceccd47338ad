namespace Remarketing.Auction.Engine;

/// <param name="ProofOfSaleId">Set when bought (or repeated).</param>
/// <param name="PriceCents">Set when the price has reached the buy-now price.</param>
public sealed record Purchase(PurchaseOutcome Outcome, string ProofOfSaleId, long PriceCents);
