namespace Remarketing.Quote.Domain;

/// <summary>A corrected or newly signed odometer reading for a return case.</summary>
public sealed record OdometerUpdate(string RequestId, string CaseId, long OdometerMiles, bool SignedByLessee);
