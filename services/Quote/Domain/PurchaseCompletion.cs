namespace Remarketing.Quote.Domain;

/// <summary>
/// A dealer purchase completed with its proof of resale; on a Purchase for Lessee, whether the
/// lessee chose to have the security deposit reduce the price.
/// </summary>
public sealed record PurchaseCompletion(string RequestId, string CaseId, string ProofOfResaleId, bool ApplySecurityDeposit);
