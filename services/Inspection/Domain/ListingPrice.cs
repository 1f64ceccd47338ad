namespace Remarketing.Inspection.Domain;

/// <summary>What the pricing policy asks for an eligible vehicle on SmartAuction (all 0 when not eligible).</summary>
public sealed record ListingPrice(long FloorCents, long BuyNowCents, long OpeningCents, string Explanation)
{
    public static readonly ListingPrice None = new(0, 0, 0, "");
}
