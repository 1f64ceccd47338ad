namespace Remarketing.Quote.Domain;

/// <summary>A return case and the account it belongs to.</summary>
public sealed record CaseAnswer(string AccountId, ReturnCaseRecord Case);
