namespace Remarketing.Quote.Domain;

/// <summary>The letters sent on an account.</summary>
public sealed record LettersAnswer(string AccountId, IReadOnlyList<LetterRecord> Letters);
