namespace Remarketing.Inspection.Domain;

public sealed record MissingItem(string Item, int Count);
