namespace Remarketing.Inspection.Domain;

public enum DamageSeverity
{
    Minor,
    Moderate,
    Severe,
}
