namespace Remarketing.Quote.Domain;

/// <summary>A vehicle to check against the retail financing rules.</summary>
public sealed record RetailFinancingAsk(int ModelYear, long OdometerMiles, DateOnly? Inception);
