namespace Remarketing.Quote.Domain;

/// <summary>A lease extension asked for by the remarketing center.</summary>
public sealed record ExtensionAsk(string RequestId, string AccountId, int Days);
