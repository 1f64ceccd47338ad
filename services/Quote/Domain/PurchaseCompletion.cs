namespace Remarketing.Quote.Domain;

/// <summary>A dealer purchase completed with its proof of resale.</summary>
public sealed record PurchaseCompletion(string RequestId, string CaseId, string ProofOfResaleId);
