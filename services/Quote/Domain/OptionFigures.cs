namespace Remarketing.Quote.Domain;

/// <summary>The figures of one early termination option.</summary>
public sealed record OptionFigures(LeaseEndOption Kind, Figures Figures);
