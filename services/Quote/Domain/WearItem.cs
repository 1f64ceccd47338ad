using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

public sealed record WearItem(string Description, long ChargeCents);
