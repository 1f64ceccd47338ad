namespace Remarketing.Quote.Domain;

/// <summary>An extension granted.</summary>
public sealed record ExtensionAnswer(string AccountId, ExtensionRecord Extension);
