namespace Remarketing.Simulator.Scenario;

/// <summary>
/// The used-market guide every buying dealer reads: what a vehicle is worth wholesale from what a
/// listing shows (model, model year, odometer, condition grade). Whole cents and basis points only.
/// </summary>
public static class MarketGuide
{
    /// <summary>The guide's wholesale value; 0 for a model it does not know.</summary>
    public static long ValueCents(string make, string model, int modelYear, long odometerMiles, int gradeTenths, DateOnly today)
    {
        if (VehicleCatalog.Find(make, model) is not { } known)
            return 0;
        var ageMonths = Math.Max(0, (today.Year - modelYear) * 12 + today.Month - 1);
        var retention = RetentionBasisPoints(ageMonths);
        // Miles against 12,000 a year: 1 % of value per 1,000 miles above or below, within +/-20 %.
        var expectedMiles = 12_000L * ageMonths / 12;
        var mileage = 10_000 - Math.Clamp((odometerMiles - expectedMiles) / 1_000 * 100, -2_000, 2_000);
        // An average car grades 4.0; each tenth above or below is worth 1 % more or less.
        var grade = 6_000 + Math.Clamp(gradeTenths, 0, 50) * 100;
        var value = known.MsrpCents;
        foreach (var basisPoints in new[] { retention, (int)mileage, grade, known.DemandBasisPoints })
            value = value * basisPoints / 10_000;
        return value / 100 * 100;
    }

    /// <summary>What a vehicle keeps of its sticker price after <paramref name="ageMonths"/>: 90 % at once, then 1.3 % less each month.</summary>
    public static int RetentionBasisPoints(int ageMonths)
    {
        long retention = 9_000;
        for (var month = 0; month < ageMonths; month++)
            retention = retention * 987 / 1_000;
        return (int)retention;
    }
}
