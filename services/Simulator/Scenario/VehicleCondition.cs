namespace Remarketing.Simulator.Scenario;

public enum Damage
{
    Dent,
    Scratch,
    Chip,
    Crack,
    Rust,
    Burn,
    Stain,
    Tear,
}

public enum DamageSeverity
{
    Minor,
    Moderate,
    Severe,
}

public sealed record DamageSeen(string Panel, Damage Kind, int SizeTenthsInch, DamageSeverity Severity);

public sealed record TireSeen(string Position, int Tread32nds);

/// <param name="Crack">A crack; otherwise a chip.</param>
public sealed record GlassSeen(string Location, bool Crack, int SizeTenthsInch);

/// <summary>What an inspector sees on the vehicle; the Inspection service's wear standard judges it.</summary>
public sealed record VehicleCondition(
    IReadOnlyList<DamageSeen> Damage,
    IReadOnlyList<TireSeen> Tires,
    IReadOnlyList<GlassSeen> Glass,
    IReadOnlyList<string> MissingEquipment,
    bool FrameDamage,
    bool FloodDamage,
    bool TitleProblem)
{
    /// <summary>Frame or flood damage or a title problem: never eligible for SmartAuction, whatever the grade.</summary>
    public bool Disqualified => FrameDamage || FloodDamage || TitleProblem;
}
