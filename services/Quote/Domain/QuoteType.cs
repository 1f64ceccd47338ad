namespace Remarketing.Quote.Domain;

/// <summary>The quotes the lease end gives.</summary>
public enum QuoteType
{
    DealerPurchaseForLessee,
    DealerPurchaseForInventory,

    /// <summary>What the lessee will owe on a return, excluding excess wear (not known before inspection).</summary>
    LesseeReturn,

    /// <summary>Between the lender and the lessee: never to a dealer.</summary>
    LesseeBuyout,
}
