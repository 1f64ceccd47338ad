namespace Remarketing.Quote.Domain;

/// <summary>A quote asked for; <see cref="Kind"/> is null when the caller left it unspecified.</summary>
public sealed record QuoteAsk(string AccountId, string Vin, QuoteType? Kind, DateOnly? AsOf, bool ApplySecurityDeposit, long OdometerMiles);
