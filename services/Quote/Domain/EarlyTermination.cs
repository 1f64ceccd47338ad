namespace Remarketing.Quote.Domain;

/// <summary>The early-termination payoff and charge, with the lines that make them up.</summary>
public sealed record EarlyTermination(IReadOnlyList<Line> Lines, long PayoffCents, long ChargeCents);
