namespace Remarketing.Quote.Domain;

/// <summary>Whether a vehicle qualifies for retail financing.</summary>
/// <param name="Failures">Why the vehicle does not qualify; empty when it does.</param>
public sealed record RetailFinancingAnswer(IReadOnlyList<string> Failures);
