namespace Remarketing.Inspection.Domain;

public enum GlassDamage
{
    Chip,
    Crack,
}
