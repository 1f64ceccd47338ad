namespace Remarketing.Quote.Domain;

/// <summary>One line of a quote, settlement or letter. Positive: owed to the lender; negative: a credit to the lessee.</summary>
public sealed record Line(string Code, string Description, long AmountCents, bool Estimated = false);
