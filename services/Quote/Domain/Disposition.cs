namespace Remarketing.Quote.Domain;

/// <summary>What the grounding dealer does with a returned vehicle: a Lessee Return starts remarketing, a dealer purchase holds it 72 h. Stored by member name.</summary>
public enum Disposition
{
    LesseeReturn,
    DealerPurchaseForLessee,
    DealerPurchaseForInventory,
}
