namespace Remarketing.Quote.Domain;

/// <summary>Where a return case stands. Stored by member name.</summary>
public enum CaseState
{
    HeldForDealerPurchase,
    Purchased,
    InRemarketing,
    Inspected,
    Sold,
    Unsold,
    Settled,
}
