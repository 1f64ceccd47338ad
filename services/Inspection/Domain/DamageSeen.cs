namespace Remarketing.Inspection.Domain;

/// <param name="SizeTenthsInch">Largest dimension in tenths of an inch.</param>
public sealed record DamageSeen(string Panel, DamageType Kind, int SizeTenthsInch, DamageSeverity Severity);
