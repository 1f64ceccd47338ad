using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Simulator.Scenario;

/// <summary>
/// The seeded scenario: the vehicles whose leases end during the run, one after another at the
/// configured rate of returns, and the buying dealers. Everything is drawn from generators derived
/// from the seed (<see cref="Seeds"/>), each vehicle from its own, so the same seed and start give
/// the same accounts, returns, conditions and dealers. Dates are relative to the start.
/// </summary>
public sealed class ScenarioGenerator
{
    private static readonly string[] States =
    [
        "CA", "TX", "FL", "NY", "OH", "PA", "IL", "GA", "NC", "MI", "NJ", "VA", "WA", "AZ", "MA", "CO", "MN", "OR", "AK", "HI", "SD",
    ];

    // Weights (per 1,000) of the states above: AK, HI and SD have no third-party inspection, about 8 % of returns together.
    private static readonly int[] StateWeights = [120, 100, 90, 80, 60, 55, 55, 50, 45, 45, 40, 40, 35, 35, 30, 30, 25, 25, 30, 25, 25];

    private static readonly Dictionary<string, int> SalesTaxBasisPoints = new(StringComparer.Ordinal)
    {
        ["CA"] = 725, ["TX"] = 625, ["FL"] = 600, ["NY"] = 400, ["OH"] = 575, ["PA"] = 600, ["IL"] = 625, ["GA"] = 400, ["NC"] = 475,
        ["MI"] = 600, ["NJ"] = 663, ["VA"] = 530, ["WA"] = 650, ["AZ"] = 560, ["MA"] = 625, ["CO"] = 290, ["MN"] = 688, ["OR"] = 0,
        ["AK"] = 0, ["HI"] = 400, ["SD"] = 420,
    };

    private static readonly string[] Panels =
    [
        "front bumper", "rear bumper", "hood", "roof", "left front door", "right front door", "left rear door", "right rear door",
        "left front fender", "right front fender", "left quarter panel", "right quarter panel", "trunk lid", "tailgate",
    ];

    private static readonly string[] Seats = ["driver seat", "passenger seat", "rear seat", "headliner", "carpet"];

    private static readonly string[] TirePositions = ["LF", "RF", "LR", "RR"];

    private readonly int _seed;
    private readonly DateTimeOffset _start;
    private readonly string _runTag;
    private readonly Random _arrivals;
    private readonly double _returnsPerDay;
    private TimeSpan _nextReturn;
    private int _index;

    /// <param name="start">The shared clock when the run starts: dates are drawn around it.</param>
    /// <param name="runTag">Makes this run's account ids and VINs its own (5 characters a VIN may hold); it does not change any draw.</param>
    public ScenarioGenerator(int seed, double returnsPerDay, DateTimeOffset start, string runTag)
    {
        if (returnsPerDay <= 0)
            throw new ArgumentOutOfRangeException(nameof(returnsPerDay), returnsPerDay, "returns per day must be more than 0");
        if (runTag.Length != 5 || runTag.Any(c => !VinCharacters.Contains(c, StringComparison.Ordinal)))
            throw new ArgumentException("a run tag is 5 characters a VIN may hold", nameof(runTag));
        _seed = seed;
        _start = start;
        _runTag = runTag;
        _returnsPerDay = returnsPerDay;
        _arrivals = Seeds.For(seed, "arrivals");
        _nextReturn = NextGap();
    }

    /// <summary>The characters a VIN may hold (no I, O or Q).</summary>
    public const string VinCharacters = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

    /// <summary>A run tag from a number (e.g. the shared clock's milliseconds at the start).</summary>
    public static string RunTag(long number)
    {
        var tag = new char[5];
        var rest = (ulong)number;
        for (var i = 4; i >= 0; i--)
        {
            tag[i] = VinCharacters[(int)(rest % (ulong)VinCharacters.Length)];
            rest /= (ulong)VinCharacters.Length;
        }
        return new string(tag);
    }

    /// <summary>The buying dealers: every style in turn (from a seeded first one), each with its own appetite, makes and seed.</summary>
    public static IReadOnlyList<BuyingDealer> BuyingDealers(int seed, int count)
    {
        var random = Seeds.For(seed, "dealers");
        var styles = Enum.GetValues<BidderStyle>();
        var first = random.Next(styles.Length);
        var dealers = new List<BuyingDealer>(count);
        for (var i = 0; i < count; i++)
        {
            var makes = VehicleCatalog.Makes.Where(_ => random.Next(100) < 60).ToHashSet(StringComparer.Ordinal);
            while (makes.Count < 4)
                makes.Add(VehicleCatalog.Makes[random.Next(VehicleCatalog.Makes.Count)]);
            dealers.Add(new BuyingDealer($"B-{101 + i}", styles[(first + i) % styles.Length], 9_200 + random.Next(1_601), makes, random.Next()));
        }
        return dealers;
    }

    /// <summary>The next vehicle whose lease ends, in order of its return.</summary>
    public PlannedVehicle Next()
    {
        var returnAt = _nextReturn;
        _nextReturn += NextGap();
        return Vehicle(_index++, returnAt);
    }

    /// <summary>Every vehicle returned within <paramref name="period"/> of the start.</summary>
    public IEnumerable<PlannedVehicle> ReturnsWithin(TimeSpan period)
    {
        while (_nextReturn < period)
            yield return Next();
    }

    /// <summary>A grounding dealer's id: its state, the one make it is franchised for, and its number among them, e.g. D-OH-HONDA-2.</summary>
    public static string GroundingDealerOf(string state, string make, int number) => $"D-{state}-{make.ToUpperInvariant()}-{number}";

    // Returns arrive at random (a Poisson process): exponential gaps with the configured mean.
    private TimeSpan NextGap() => TimeSpan.FromDays(-Math.Log(1 - _arrivals.NextDouble()) / _returnsPerDay);

    private PlannedVehicle Vehicle(int index, TimeSpan returnAt)
    {
        var random = Seeds.For(_seed, "vehicle", index);
        var model = VehicleCatalog.Models[random.Next(VehicleCatalog.Models.Count)];
        var term = Pick(random, [24, 36, 36, 36, 36, 39, 48]);
        var returnDate = DateOnly.FromDateTime((_start + returnAt).UtcDateTime);

        var early = random.Next(100) < 30;
        var extended = !early && random.Next(100) < 10;
        var daysPastMaturity = extended ? random.Next(3, 19) : random.Next(0, 11);
        var aimedMaturity = early ? returnDate.AddDays(random.Next(20, 421)) : returnDate.AddDays(-daysPastMaturity);
        var startDate = aimedMaturity.AddMonths(-term);
        var maturity = startDate.AddMonths(term);
        if (!early && maturity > returnDate)
            maturity = returnDate; // the month arithmetic moved it a day or two: keep the return on or after it
        startDate = maturity.AddMonths(-term);
        maturity = startDate.AddMonths(term);

        var msrp = model.MsrpCents * (10_000 + random.Next(-300, 601)) / 10_000 / 100_00 * 100_00;
        var residual = msrp * (ResidualBasisPoints(term) + random.Next(-200, 201)) / 10_000 / 100 * 100;
        var capitalized = msrp * random.Next(9_000, 9_601) / 10_000 / 100 * 100;
        var moneyFactorMillionths = random.Next(1_500, 2_801);
        var depreciation = (capitalized - residual + term - 1) / term;
        var rent = (capitalized + residual) * moneyFactorMillionths / 1_000_000;
        var monthly = depreciation + rent;

        var lesseeState = WeightedState(random);
        var dealerState = random.Next(100) < 90 ? lesseeState : WeightedState(random);
        var allowedPerYear = Pick(random, [10_000L, 12_000L, 12_000L, 15_000L]);
        var purchasedMiles = random.Next(100) < 6 ? random.Next(3, 10) * 1_000L : 0;
        var startingOdometer = random.Next(5, 61);
        var milesPerYear = random.Next(7_000, 22_001);
        var odometer = startingOdometer + (long)milesPerYear * (returnDate.DayNumber - startDate.DayNumber) / 365;

        var lease = new PlannedLease(
            AccountId: $"SIM-{_runTag}-{index:D5}",
            Vin: MakeVin(model.WmiPrefix, index),
            ModelYear: startDate.Month >= 8 ? startDate.Year + 1 : startDate.Year,
            Make: model.Make,
            Model: model.Model,
            Trim: model.Trim,
            LesseeState: lesseeState,
            StartDate: startDate,
            MaturityDate: maturity,
            TermMonths: term,
            MonthlyPaymentCents: monthly,
            AdjustedCapitalizedCostCents: capitalized,
            AllowedMilesPerYear: allowedPerYear,
            PurchasedAdditionalMiles: purchasedMiles,
            PurchasedMilePriceCents: purchasedMiles > 0 ? random.Next(15, 21) : 0,
            ExcessMileageRateCentsPerMile: random.Next(15, 26),
            StartingOdometerMiles: startingOdometer,
            ResidualCents: residual,
            PurchaseOptionFeeCents: random.Next(100) < 50 ? random.Next(6, 10) * 50_00 : 0,
            DispositionFeeCents: random.Next(7, 10) * 50_00 - 5_00,
            SecurityDepositCents: random.Next(100) < 40 ? random.Next(12, 33) * 25_00 : 0,
            PastDueCents: random.Next(100) < 8 ? random.Next(50, 601) * 100 : 0,
            SalesTaxRateBasisPoints: SalesTaxBasisPoints[lesseeState],
            UnpaidPersonalPropertyTaxCents: random.Next(100) < 5 ? random.Next(40, 351) * 100 : 0,
            ExtensionDailyFeeCents: monthly / 30);

        var disposition = random.Next(100) switch
        {
            < 74 => LeaseEnd.LesseeReturn,
            < 83 => LeaseEnd.DealerPurchaseForLessee,
            _ => LeaseEnd.DealerPurchaseForInventory,
        };
        var keys = random.Next(100) < 85 ? 2 : 1;
        var remotes = random.Next(100) switch { < 80 => 2, < 95 => 1, _ => 0 };
        var manual = random.Next(100) < 90;
        var returned = new PlannedReturn(returnDate, odometer, disposition, GroundingDealerOf(dealerState, model.Make, 1 + random.Next(3)), dealerState, keys, remotes, manual);

        var openAt = returnAt - TimeSpan.FromHours(random.Next(2, 97));
        if (openAt < TimeSpan.Zero)
            openAt = TimeSpan.Zero;
        (TimeSpan, int)? extension = extended
            ? (openAt + (returnAt - openAt) * (random.Next(30, 81) / 100.0), Math.Min(30, returnDate.DayNumber - maturity.DayNumber + random.Next(2, 13)))
            : null;
        // Completed 3-36 h into the 72-hour hold: half the hold to spare, which at a test's 15,000x is
        // still 9 s of real time for a loaded machine to be late in (at 60 h it was 3 s, and was late).
        TimeSpan? purchaseAfter = disposition != LeaseEnd.LesseeReturn && random.Next(100) < 60 ? TimeSpan.FromHours(random.Next(3, 37)) : null;

        var condition = Condition(random, keys, remotes, manual);
        var pace = new Pace(
            InspectorAccepts: Hours(random, 1, 16),
            InspectorReports: random.Next(100) < 4 ? Hours(random, 80, 110) : Hours(random, 2, 30),
            CenterReports: Hours(random, 10, 40),
            CarrierAssigns: Hours(random, 1, 14),
            PickerArrives: Hours(random, 8, 60),
            DeliveryTakes: Hours(random, 3, 30),
            WrongDocumentFirst: random.Next(100) < 8);
        return new PlannedVehicle(index, openAt, returnAt, lease, returned, extension, purchaseAfter, condition, pace);
    }

    private static VehicleCondition Condition(Random random, int keys, int remotes, bool manual)
    {
        // How kindly the lessee treated the car: 0 roughest, 99 best.
        var care = random.Next(100);
        var damage = new List<DamageSeen>();
        var exterior = care switch { >= 80 => random.Next(0, 2), >= 40 => random.Next(1, 4), _ => random.Next(2, 7) };
        for (var i = 0; i < exterior; i++)
        {
            var kind = random.Next(100) switch { < 35 => Damage.Dent, < 70 => Damage.Scratch, < 90 => Damage.Chip, < 95 => Damage.Rust, _ => Damage.Crack };
            var size = kind switch
            {
                Damage.Dent => random.Next(10, 71),
                Damage.Scratch => random.Next(10, 101),
                Damage.Chip => random.Next(2, 13),
                Damage.Rust => random.Next(5, 41),
                _ => random.Next(5, 61),
            };
            damage.Add(new DamageSeen(Panels[random.Next(Panels.Length)], kind, size, Severity(random, care)));
        }
        if (care < 30)
        {
            for (var i = random.Next(1, 3); i > 0; i--)
                damage.Add(new DamageSeen(Seats[random.Next(Seats.Length)], Pick(random, [Damage.Burn, Damage.Stain, Damage.Tear]), random.Next(2, 21), Severity(random, care)));
        }

        var treadFloor = care < 30 ? 2 : 3;
        var tires = TirePositions.Select(position => new TireSeen(position, random.Next(treadFloor, 11))).ToList();
        var glass = new List<GlassSeen>();
        if (random.Next(100) < 8)
            glass.Add(new GlassSeen("windshield", Crack: false, random.Next(2, 11)));
        if (random.Next(100) < 3)
            glass.Add(new GlassSeen("windshield", Crack: true, random.Next(10, 81)));

        var missing = new List<string>();
        if (keys < 2)
            missing.Add("keys");
        if (remotes == 0)
            missing.Add("keyless_remote");
        if (!manual)
            missing.Add("owners_manual");
        return new VehicleCondition(damage, tires, glass, missing,
            FrameDamage: random.Next(1_000) < 20, FloodDamage: random.Next(1_000) < 10, TitleProblem: random.Next(1_000) < 10);
    }

    private static DamageSeverity Severity(Random random, int care) =>
        (random.Next(100) + care / 2) switch { < 45 => DamageSeverity.Severe, < 90 => DamageSeverity.Moderate, _ => DamageSeverity.Minor };

    private static int ResidualBasisPoints(int term) => term switch { <= 24 => 6_200, <= 36 => 5_500, <= 39 => 5_300, _ => 4_700 };

    private static string WeightedState(Random random)
    {
        var draw = random.Next(StateWeights.Sum());
        for (var i = 0; i < States.Length; i++)
        {
            draw -= StateWeights[i];
            if (draw < 0)
                return States[i];
        }
        return States[^1];
    }

    /// <summary>A valid VIN (check digit in position 9): the maker's prefix, this run's tag, a model-year letter, a plant and the index.</summary>
    private string MakeVin(string maker, int index)
    {
        var body = $"{maker}{_runTag}_SA{index % 1_000_000:D6}";
        return "0123456789X".Select(digit => body.Replace('_', digit)).First(vin => Vin.Problem(vin) is null);
    }

    private static TimeSpan Hours(Random random, int least, int most) => TimeSpan.FromMinutes(random.Next(least * 60, most * 60 + 1));

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];
}
