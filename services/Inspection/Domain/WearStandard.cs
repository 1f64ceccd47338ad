using System.Globalization;

namespace Remarketing.Inspection.Domain;

/// <summary>
/// The lender's excess wear standard, from configuration (Inspection:WearStandard): which reported
/// items are chargeable and for how much, and how much each takes off the condition grade of 5.0.
/// </summary>
public sealed class WearStandard
{
    public const int BestGradeTenths = 50;

    public Dictionary<DamageType, DamageRule> Damage { get; set; } = new()
    {
        [DamageType.Dent] = new() { ChargeableOverTenthsInch = 34, LimitDescription = "a credit card (3.4 in)", MinorCents = 150_00, ModerateCents = 300_00, SevereCents = 600_00 },
        [DamageType.Scratch] = new() { ChargeableOverTenthsInch = 20, LimitDescription = "2 in", MinorCents = 100_00, ModerateCents = 200_00, SevereCents = 400_00 },
        [DamageType.Chip] = new() { ChargeableOverTenthsInch = 5, LimitDescription = "1/2 in", MinorCents = 50_00, ModerateCents = 100_00, SevereCents = 200_00 },
        [DamageType.Crack] = new() { LimitDescription = "any crack", MinorCents = 200_00, ModerateCents = 400_00, SevereCents = 800_00 },
        [DamageType.Rust] = new() { LimitDescription = "any rust through the paint", MinorCents = 150_00, ModerateCents = 300_00, SevereCents = 600_00 },
        [DamageType.Burn] = new() { ChargeableOverTenthsInch = 5, LimitDescription = "1/2 in", MinorCents = 100_00, ModerateCents = 200_00, SevereCents = 400_00 },
        [DamageType.Stain] = new() { ChargeableOverTenthsInch = 5, LimitDescription = "1/2 in", MinorCents = 75_00, ModerateCents = 150_00, SevereCents = 300_00 },
        [DamageType.Tear] = new() { ChargeableOverTenthsInch = 5, LimitDescription = "1/2 in", MinorCents = 100_00, ModerateCents = 250_00, SevereCents = 500_00 },
    };

    /// <summary>Grade tenths taken off by a chargeable item, by severity; normal wear takes <see cref="NormalWearDeductionTenths"/>.</summary>
    public int MinorDeductionTenths { get; set; } = 2;

    public int ModerateDeductionTenths { get; set; } = 4;

    public int SevereDeductionTenths { get; set; } = 8;

    public int NormalWearDeductionTenths { get; set; } = 1;

    /// <summary>Tread below this (32nds of an inch) is excess wear.</summary>
    public int MinimumTread32nds { get; set; } = 4;

    public long WornTireCents { get; set; } = 150_00;

    /// <summary>A glass chip larger than this (tenths of an inch) is excess wear; any crack is.</summary>
    public int GlassChipChargeableOverTenthsInch { get; set; } = 5;

    public long GlassChipCents { get; set; } = 75_00;

    public long GlassCrackCents { get; set; } = 350_00;

    /// <summary>Missing original equipment the standard charges for, per item. Other items are refused as unknown.</summary>
    public Dictionary<string, long> MissingEquipmentCents { get; set; } = new(StringComparer.Ordinal)
    {
        ["keys"] = 250_00,
        ["keyless_remote"] = 200_00,
        ["owners_manual"] = 25_00,
        ["maintenance_guide"] = 15_00,
        ["floor_mats"] = 75_00,
        ["cargo_cover"] = 150_00,
        ["spare_tire"] = 200_00,
        ["third_row_seat"] = 800_00,
        ["navigation_media"] = 100_00,
    };

    /// <summary>Frame or structural damage is beyond normal wear: charged to the lessee at this (the lender sets its own figure).</summary>
    public long FrameDamageCents { get; set; } = 2_500_00;

    /// <summary>Frame or flood damage caps the grade at these.</summary>
    public int FrameDamageGradeCapTenths { get; set; } = 10;

    public int FloodDamageGradeCapTenths { get; set; } = 5;

    /// <summary>Every observation with its decision, in the order reported.</summary>
    public IReadOnlyList<FindingRecord> Assess(Observations seen)
    {
        var findings = new List<FindingRecord>();
        foreach (var damage in seen.Damage)
        {
            var rule = Damage[damage.Kind];
            var what = string.Create(CultureInfo.InvariantCulture,
                $"{damage.Kind.ToString().ToLowerInvariant()} {Inches(damage.SizeTenthsInch)}, {damage.Severity.ToString().ToLowerInvariant()}, {damage.Panel}");
            var chargeable = damage.SizeTenthsInch > rule.ChargeableOverTenthsInch;
            findings.Add(chargeable
                ? new(what, true, rule.ChargeFor(damage.Severity), rule.ChargeableOverTenthsInch == 0
                    ? $"{rule.LimitDescription} is excess wear"
                    : $"larger than {rule.LimitDescription}: excess wear", Deduction(damage.Severity))
                : new(what, false, 0, $"not larger than {rule.LimitDescription}: normal wear", NormalWearDeductionTenths));
        }
        foreach (var tire in seen.Tires)
        {
            var what = $"tire {tire.Position}: {tire.Tread32nds}/32 in tread";
            findings.Add(tire.Tread32nds < MinimumTread32nds
                ? new(what, true, WornTireCents, $"tread under {MinimumTread32nds}/32 in is excess wear", MinorDeductionTenths)
                : new(what, false, 0, $"tread of {MinimumTread32nds}/32 in or more is normal wear", 0));
        }
        foreach (var glass in seen.Glass)
        {
            var what = $"glass {glass.Condition.ToString().ToLowerInvariant()} {Inches(glass.SizeTenthsInch)}, {glass.Location}";
            findings.Add(glass.Condition == GlassDamage.Crack
                ? new(what, true, GlassCrackCents, "any crack in the glass is excess wear", ModerateDeductionTenths)
                : glass.SizeTenthsInch > GlassChipChargeableOverTenthsInch
                    ? new(what, true, GlassChipCents, $"a chip larger than {Inches(GlassChipChargeableOverTenthsInch)} is excess wear", MinorDeductionTenths)
                    : new(what, false, 0, $"a chip of {Inches(GlassChipChargeableOverTenthsInch)} or less is normal wear", NormalWearDeductionTenths));
        }
        if (seen.FrameDamage)
        {
            // The grade is capped for it (Grade), so it takes nothing off besides.
            findings.Add(new("frame or structural damage", true, FrameDamageCents, "frame or structural damage is beyond normal wear and charged to the lessee", 0));
        }
        foreach (var missing in seen.Missing)
        {
            var count = Math.Max(1, missing.Count);
            findings.Add(new($"missing: {missing.Item} x {count}", true, MissingEquipmentCents[missing.Item] * count,
                "original equipment not returned is charged", NormalWearDeductionTenths * count));
        }
        return findings;
    }

    /// <summary>5.0 less every finding's deduction, capped for frame or flood damage, never below 0.0.</summary>
    public int Grade(Observations seen, IReadOnlyList<FindingRecord> findings)
    {
        var grade = BestGradeTenths - findings.Sum(finding => finding.GradeDeductionTenths);
        if (seen.FrameDamage)
            grade = Math.Min(grade, FrameDamageGradeCapTenths);
        if (seen.FloodDamage)
            grade = Math.Min(grade, FloodDamageGradeCapTenths);
        return Math.Clamp(grade, 0, BestGradeTenths);
    }

    /// <summary>Null when the standard can judge every reported item; otherwise what it does not know.</summary>
    public string? Problem(Observations seen)
    {
        var unknown = seen.Missing.Select(item => item.Item).Where(item => !MissingEquipmentCents.ContainsKey(item)).ToList();
        return unknown.Count == 0 ? null
            : $"missing equipment '{string.Join("', '", unknown)}' is not in the wear standard; report one of: {string.Join(", ", MissingEquipmentCents.Keys)}";
    }

    public static string Inches(int tenths) => string.Create(CultureInfo.InvariantCulture, $"{tenths / 10.0:0.0} in");

    private int Deduction(DamageSeverity severity) => severity switch
    {
        DamageSeverity.Minor => MinorDeductionTenths,
        DamageSeverity.Moderate => ModerateDeductionTenths,
        _ => SevereDeductionTenths,
    };
}
