namespace Remarketing.Inspection.Domain;

/// <summary>What the inspector saw; the wear standard, the eligibility rule and the pricing policy decide the rest.</summary>
public sealed record Observations(
    long OdometerMiles,
    IReadOnlyList<DamageSeen> Damage,
    IReadOnlyList<TireSeen> Tires,
    IReadOnlyList<GlassSeen> Glass,
    IReadOnlyList<MissingItem> Missing,
    bool FrameDamage,
    bool FloodDamage,
    bool TitleProblem);
