namespace Remarketing.Quote.Domain;

/// <summary>The early termination options side by side, each with the lines the caller is shown.</summary>
public sealed record OptionsAnswer(string AccountId, DateOnly AsOf, IReadOnlyList<OptionFigures> Options);
