namespace Remarketing.Quote.Domain;

/// <summary>A quote; <paramref name="ForDealer"/> when a grounding dealer asked, who sees only dealer lines.</summary>
public sealed record QuoteAnswer(
    string AccountId, QuoteType Kind, Termination Termination, Figures Figures, DateTimeOffset ValidUntil, DateOnly AsOf, bool ForDealer);
