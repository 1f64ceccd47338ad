namespace Remarketing.Inspection.Domain;

public sealed record TireSeen(string Position, int Tread32nds);
