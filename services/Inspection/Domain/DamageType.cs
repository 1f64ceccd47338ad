namespace Remarketing.Inspection.Domain;

/// <summary>Stored by member name; the wear standard has a rule for each.</summary>
public enum DamageType
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
