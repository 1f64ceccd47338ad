namespace Remarketing.Quote.Domain;

/// <summary>The early termination options to compare on one date.</summary>
public sealed record OptionsAsk(string AccountId, string Vin, DateOnly? AsOf, long OdometerMiles);
