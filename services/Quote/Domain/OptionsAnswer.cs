namespace Remarketing.Quote.Domain;

/// <summary>The early termination options side by side; <paramref name="ForDealer"/> as for a quote.</summary>
public sealed record OptionsAnswer(string AccountId, DateOnly AsOf, IReadOnlyList<OptionFigures> Options, bool ForDealer);
