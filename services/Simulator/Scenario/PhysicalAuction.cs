namespace Remarketing.Simulator.Scenario;

/// <summary>
/// The physical auction where the remarketing center sends what SmartAuction did not sell, or
/// was not eligible for it: the next sale day after the delivery, and a hammer price that is
/// usually below the SmartAuction floor (a lane sale, fees taken). Drawn from its own generator
/// per vehicle, so it shifts no other draw of the scenario.
/// </summary>
public static class PhysicalAuction
{
    public static (TimeSpan After, long PriceCents) Sale(int seed, PlannedVehicle plan, long floorCents, int gradeTenths, DateOnly today)
    {
        var random = Seeds.For(seed, "physical-sale", plan.Index);
        var after = TimeSpan.FromHours(random.Next(24, 121));
        var basis = floorCents > 0
            ? floorCents
            : MarketGuide.ValueCents(plan.Lease.Make, plan.Lease.Model, plan.Lease.ModelYear, plan.Return.OdometerMiles, gradeTenths, today);
        if (basis <= 0)
            basis = plan.Lease.ResidualCents;
        // 70-97 % of the floor (or of the guide's value), in the lane's $25 steps.
        var price = basis * random.Next(7_000, 9_701) / 10_000 / 2_500 * 2_500;
        return (after, Math.Max(price, 2_500));
    }
}
