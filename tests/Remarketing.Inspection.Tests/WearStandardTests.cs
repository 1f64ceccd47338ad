namespace Remarketing.Inspection.Tests;

/// <summary>The configured wear standard, eligibility rule and pricing policy, with their default numbers.</summary>
public sealed class WearStandardTests
{
    private static readonly WearStandard Standard = new();

    private static Observations Seen(
        IReadOnlyList<DamageSeen>? damage = null, IReadOnlyList<TireSeen>? tires = null, IReadOnlyList<GlassSeen>? glass = null,
        IReadOnlyList<MissingItem>? missing = null, bool frame = false, bool flood = false, bool title = false) =>
        new(30_000, damage ?? [], tires ?? [], glass ?? [], missing ?? [], frame, flood, title);

    [Theory]
    [InlineData(34, false, 0)]
    [InlineData(35, true, 300_00)]
    public void Dent_LargerThanACreditCard_IsExcessWear(int sizeTenths, bool chargeable, long charge)
    {
        var finding = Assert.Single(Standard.Assess(Seen(damage: [new("hood", DamageType.Dent, sizeTenths, DamageSeverity.Moderate)])));

        Assert.Equal((chargeable, charge), (finding.Chargeable, finding.ChargeCents));
        Assert.Contains("credit card", finding.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void FrameOrStructuralDamage_IsChargedToTheLessee_AndCapsTheGrade()
    {
        var seen = Seen(frame: true);

        var finding = Assert.Single(Standard.Assess(seen));

        Assert.Equal(("frame or structural damage", true, 2_500_00L), (finding.Observation, finding.Chargeable, finding.ChargeCents));
        Assert.Equal(10, Standard.Grade(seen, [finding]));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void Tire_TreadUnderFour32nds_IsExcessWear(int tread, bool chargeable)
    {
        var finding = Assert.Single(Standard.Assess(Seen(tires: [new("LF", tread)])));

        Assert.Equal((chargeable, chargeable ? 150_00L : 0), (finding.Chargeable, finding.ChargeCents));
    }

    [Theory]
    [InlineData(DamageType.Burn, 5, false)]
    [InlineData(DamageType.Burn, 6, true)]
    [InlineData(DamageType.Stain, 6, true)]
    [InlineData(DamageType.Tear, 6, true)]
    public void BurnStainOrTear_LargerThanHalfAnInch_IsExcessWear(DamageType kind, int sizeTenths, bool chargeable) =>
        Assert.Equal(chargeable, Assert.Single(Standard.Assess(Seen(damage: [new("driver seat", kind, sizeTenths, DamageSeverity.Minor)]))).Chargeable);

    [Fact]
    public void MissingEquipment_IsChargedPerItem_AndAnUnknownItemIsRefused()
    {
        var finding = Assert.Single(Standard.Assess(Seen(missing: [new("keys", 2)])));

        Assert.Equal(500_00, finding.ChargeCents);
        Assert.Contains("third_row_seat", Standard.Problem(Seen(missing: [new("hubcap", 1)])), StringComparison.Ordinal);
    }

    [Fact]
    public void Grade_StartsAtFive_LosesTenthsPerFinding_AndIsCappedByFrameAndFloodDamage()
    {
        var seen = Seen(damage: [new("hood", DamageType.Dent, 40, DamageSeverity.Severe), new("door", DamageType.Scratch, 10, DamageSeverity.Minor)], tires: [new("LF", 2)]);
        var findings = Standard.Assess(seen);

        Assert.Equal(50 - 8 - 1 - 2, Standard.Grade(seen, findings));
        Assert.Equal(10, Standard.Grade(seen with { FrameDamage = true }, findings));
        Assert.Equal(5, Standard.Grade(seen with { FloodDamage = true }, findings));
    }

    [Theory]
    [InlineData(20, false, false, false, true)]
    [InlineData(19, false, false, false, false)]
    [InlineData(40, true, false, false, false)]
    [InlineData(40, false, true, false, false)]
    [InlineData(40, false, false, true, false)]
    public void Eligibility_NeedsTheMinimumGrade_NoFrameOrFloodDamage_AndAClearTitle(int grade, bool frame, bool flood, bool title, bool eligible)
    {
        var (decided, reasons) = new EligibilityRule().Decide(Seen(frame: frame, flood: flood, title: title), grade);

        Assert.Equal(eligible, decided);
        Assert.Equal(4, reasons.Count);
        Assert.Equal(eligible ? 0 : 1, reasons.Count(reason => reason.StartsWith("not eligible", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pricing_FloorFromTheResidual_LessPerGradeTenth_InWholeDollars()
    {
        var price = new PricingPolicy().Price(18_000_00, gradeTenths: 40);

        // 85 % - 10 tenths x 0.5 % = 80 % of $18,000.00; buy now 115 %; opening 50 %.
        Assert.Equal((14_400_00L, 20_700_00L, 9_000_00L), (price.FloorCents, price.BuyNowCents, price.OpeningCents));
        Assert.Contains("$14,400.00", price.Explanation, StringComparison.Ordinal);
    }
}
