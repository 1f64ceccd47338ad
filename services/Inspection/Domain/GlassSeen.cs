namespace Remarketing.Inspection.Domain;

public sealed record GlassSeen(string Location, GlassDamage Condition, int SizeTenthsInch);
