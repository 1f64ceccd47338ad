namespace Remarketing.Quote.Domain;

public sealed record WearItem(string Description, long ChargeCents);
