using System.Text.Json;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Tests;

/// <summary>The seeded scenario: the same seed gives the same vehicles and dealers; the mix is realistic and every plan is one the services take.</summary>
public sealed class ScenarioTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    private static readonly string[] RemarketingCenterStates = ["AK", "HI", "SD"];

    private static List<PlannedVehicle> Plan(int seed, double perDay = 40, int days = 30, string tag = "ABCDE") =>
        [.. new ScenarioGenerator(seed, perDay, Start, tag).ReturnsWithin(TimeSpan.FromDays(days))];

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    [Fact]
    public void TheSameSeed_GivesTheSameVehicles_AndDealers()
    {
        Assert.Equal(Json(Plan(42)), Json(Plan(42)));
        Assert.Equal(Json(ScenarioGenerator.BuyingDealers(42, 12)), Json(ScenarioGenerator.BuyingDealers(42, 12)));
    }

    [Fact]
    public void AnotherSeed_GivesAnotherScenario()
    {
        Assert.NotEqual(Json(Plan(42)), Json(Plan(43)));
        Assert.NotEqual(Json(ScenarioGenerator.BuyingDealers(42, 12)), Json(ScenarioGenerator.BuyingDealers(43, 12)));
    }

    [Fact]
    public void TheRunTag_ChangesTheIdsAndVinsOnly()
    {
        var first = Plan(42, tag: "AAAAA");
        var second = Plan(42, tag: "BBBBB");

        Assert.Equal(first.Count, second.Count);
        Assert.All(first.Zip(second), pair =>
        {
            Assert.NotEqual(pair.First.Lease.AccountId, pair.Second.Lease.AccountId);
            Assert.NotEqual(pair.First.Lease.Vin, pair.Second.Lease.Vin);
            var withSecondsIds = pair.First with { Lease = pair.First.Lease with { AccountId = pair.Second.Lease.AccountId, Vin = pair.Second.Lease.Vin } };
            Assert.Equal(Json(withSecondsIds), Json(pair.Second));
        });
    }

    [Fact]
    public void Returns_ArriveAtTheConfiguredRate()
    {
        Assert.InRange(Plan(42, perDay: 40, days: 30).Count, 1_080, 1_320);
        Assert.InRange(Enumerable.Range(1, 10).Sum(seed => Plan(seed, perDay: 14, days: 3).Count), 378, 462);
    }

    [Fact]
    public void TheMix_HasEveryKindOfLeaseEnd()
    {
        var vehicles = Plan(42);

        Assert.All(RemarketingCenterStates, state => Assert.Contains(vehicles, vehicle => vehicle.Return.DealerState == state));
        Assert.All(Enum.GetValues<LeaseEnd>(), end => Assert.Contains(vehicles, vehicle => vehicle.Return.Disposition == end));
        Assert.Contains(vehicles, vehicle => vehicle.Return.Disposition != LeaseEnd.LesseeReturn && vehicle.PurchaseCompletesAfter is not null);
        Assert.Contains(vehicles, vehicle => vehicle.Return.Disposition != LeaseEnd.LesseeReturn && vehicle.PurchaseCompletesAfter is null);
        Assert.Contains(vehicles, vehicle => vehicle.Extension is not null);
        Assert.Contains(vehicles, vehicle => vehicle.EarlyTermination);
        Assert.Contains(vehicles, vehicle => !vehicle.EarlyTermination);
        Assert.Contains(vehicles, vehicle => vehicle.Condition.Disqualified);
        Assert.Contains(vehicles, vehicle => vehicle.Pace.WrongDocumentFirst);
        Assert.True(vehicles.Select(vehicle => vehicle.Lease.Make).Distinct().Count() >= 10);
        Assert.True(vehicles.Select(vehicle => vehicle.Lease.ModelYear).Distinct().Count() >= 4);
        Assert.InRange(vehicles.Count(vehicle => vehicle.InRemarketingCenterState) * 100 / vehicles.Count, 4, 12);
        Assert.InRange(vehicles.Count(vehicle => vehicle.Return.Disposition == LeaseEnd.LesseeReturn) * 100 / vehicles.Count, 65, 82);
        Assert.InRange(vehicles.Count(vehicle => vehicle.Lease.SecurityDepositCents > 0) * 100 / vehicles.Count, 30, 50);
        var miles = vehicles.Select(vehicle => vehicle.Return.OdometerMiles - vehicle.Lease.StartingOdometerMiles).Order().ToList();
        Assert.InRange(miles[miles.Count / 2], 20_000, 50_000);
    }

    [Fact]
    public void EveryPlan_IsOneTheServicesTake()
    {
        var vehicles = Plan(42);

        Assert.Equal(vehicles.Count, vehicles.Select(vehicle => vehicle.Lease.Vin).Distinct().Count());
        Assert.Equal(vehicles.Count, vehicles.Select(vehicle => vehicle.Lease.AccountId).Distinct().Count());
        Assert.All(vehicles, vehicle =>
        {
            var lease = vehicle.Lease;
            Assert.Null(Vin.Problem(lease.Vin));
            Assert.Equal(lease.MaturityDate, lease.StartDate.AddMonths(lease.TermMonths));
            Assert.True(lease.MonthlyPaymentCents * lease.TermMonths + lease.ResidualCents >= lease.AdjustedCapitalizedCostCents, "the rent charge would be negative");
            Assert.InRange(lease.ResidualCents, lease.AdjustedCapitalizedCostCents * 40 / 100, lease.AdjustedCapitalizedCostCents * 75 / 100);
            Assert.Equal(vehicle.Return.ReturnDate, DateOnly.FromDateTime((Start + vehicle.ReturnAt).UtcDateTime));
            Assert.True(vehicle.OpenAt <= vehicle.ReturnAt);
            Assert.True(vehicle.Return.OdometerMiles >= lease.StartingOdometerMiles);
            // "Maturity dates around now": a return is at most 30 days after the scheduled end (no late flag), an early one up to 14 months before.
            var end = lease.MaturityDate.AddDays(vehicle.Extension?.Days ?? 0);
            Assert.InRange(vehicle.Return.ReturnDate.DayNumber - end.DayNumber, -430, 30);
            if (vehicle.Extension is { } extension)
            {
                Assert.InRange(extension.At, vehicle.OpenAt, vehicle.ReturnAt);
                Assert.InRange(extension.Days, 1, 30);
                Assert.True(vehicle.Return.ReturnDate <= end, "an extended lease is returned within its extension");
            }
            if (vehicle.PurchaseCompletesAfter is { } after)
                Assert.True(after < TimeSpan.FromHours(72), "a completed purchase completes within the 72-hour hold");
            Assert.DoesNotContain(vehicle.Return.GroundingDealerId, ScenarioGenerator.BuyingDealers(42, 200).Select(dealer => dealer.DealerId));
        });
    }

    [Fact]
    public void BuyingDealers_TakeEveryStyle_WithTheirOwnSeeds()
    {
        var dealers = ScenarioGenerator.BuyingDealers(42, 10);

        Assert.Equal(Enum.GetValues<BidderStyle>().Order(), dealers.Select(dealer => dealer.Style).Distinct().Order());
        Assert.Equal(10, dealers.Select(dealer => dealer.Seed).Distinct().Count());
        Assert.Equal(10, dealers.Select(dealer => dealer.DealerId).Distinct().Count());
        Assert.All(dealers, dealer => Assert.True(dealer.Makes.Count >= 4));
    }
}
