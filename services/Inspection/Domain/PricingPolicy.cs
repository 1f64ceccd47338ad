using System.Globalization;
using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Inspection.Domain;

/// <summary>
/// The floor, buy-now and opening price of a listing, from configuration (Inspection:Pricing):
/// shares of the lease's residual value, the floor lowered for every tenth the grade is below
/// 5.0, each rounded down to whole dollars.
/// </summary>
public sealed class PricingPolicy
{
    /// <summary>The floor at grade 5.0, in basis points of the residual value.</summary>
    public int FloorBasisPoints { get; set; } = 85_00;

    /// <summary>Taken off the floor's share for each tenth the grade is below 5.0.</summary>
    public int FloorBasisPointsPerGradeTenth { get; set; } = 50;

    /// <summary>0 = no buy-now price.</summary>
    public int BuyNowBasisPoints { get; set; } = 115_00;

    public int OpeningBasisPoints { get; set; } = 50_00;

    /// <summary>How long a listing is open: at least a day, at most 6 days.</summary>
    public TimeSpan ListingWindow { get; set; } = TimeSpan.FromDays(3);

    public ListingPrice Price(long residualCents, int gradeTenths)
    {
        var floorShare = Math.Max(0, FloorBasisPoints - (WearStandard.BestGradeTenths - gradeTenths) * FloorBasisPointsPerGradeTenth);
        var floor = Dollars(residualCents * floorShare / 10_000);
        var buyNow = BuyNowBasisPoints == 0 ? 0 : Math.Max(floor, Dollars(residualCents * BuyNowBasisPoints / 10_000));
        var opening = Math.Min(floor, Dollars(residualCents * OpeningBasisPoints / 10_000));
        var buyNowPart = buyNow == 0 ? "no buy-now price" : $"buy now {Percent(BuyNowBasisPoints)}: {Money(buyNow)}";
        var explanation = $"floor {Percent(floorShare)} of the residual {Money(residualCents)} ({Percent(FloorBasisPoints)} less {Percent(FloorBasisPointsPerGradeTenth)} "
            + $"per tenth of grade below 5.0): {Money(floor)}; {buyNowPart}; opening {Money(opening)}";
        return new ListingPrice(floor, buyNow, opening, explanation);
    }

    private static long Dollars(long cents) => cents / 100 * 100;

    private static string Percent(int basisPoints) => (basisPoints / 100.0).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Money(long cents) => Cents.Format(cents);
}
