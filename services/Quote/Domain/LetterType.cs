namespace Remarketing.Quote.Domain;

/// <summary>The letters the lease end sends. Stored by member name.</summary>
public enum LetterType
{
    ReturnKit,
    EarlyTerminationPreSale,
    Settlement,

    /// <summary>The lessee's copy of the odometer statement it signed at the return.</summary>
    OdometerStatement,
}
