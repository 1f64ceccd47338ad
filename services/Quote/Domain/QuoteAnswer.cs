namespace Remarketing.Quote.Domain;

/// <summary>A quote: its figures, and the lines the caller is shown (a grounding dealer sees fewer).</summary>
public sealed record QuoteAnswer(
    string AccountId, QuoteType Kind, Termination Termination, Figures Figures, DateTimeOffset ValidUntil, DateOnly AsOf, IReadOnlyList<Line> Shown);
