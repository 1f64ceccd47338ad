namespace Remarketing.Quote.Domain;

/// <summary>A lease account to open, with its terms.</summary>
public sealed record NewAccount(string RequestId, LeaseTerms Terms);
