namespace Remarketing.Quote.Domain;

/// <summary>The options the Vehicle Return Option Calculator compares. Stored by member name.</summary>
public enum LeaseEndOption
{
    ReturnNow,
    BuyNow,
    KeepToMaturity,
    Extend,
}
