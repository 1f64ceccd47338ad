namespace Remarketing.Quote;

public sealed class QuoteOptions
{
    public const string Section = "Quote";

    /// <summary>A dealer purchase holds remarketing this long (the seeds: 72 hours).</summary>
    public TimeSpan DealerPurchaseHold { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The return kit goes out this long before the scheduled end (the seeds: about 120 days).</summary>
    public int ReturnKitDaysBeforeEnd { get; set; } = 120;

    /// <summary>A quote holds at most this many days (less when a payment falls due sooner).</summary>
    public int QuoteValidityDays { get; set; } = 10;

    /// <summary>Most days one extension may add.</summary>
    public int MaxDaysPerExtension { get; set; } = 30;

    /// <summary>Most days all extensions of one lease may add together.</summary>
    public int MaxTotalExtensionDays { get; set; } = 90;

    /// <summary>Most extensions one lease may get.</summary>
    public int MaxExtensions { get; set; } = 3;

    /// <summary>
    /// An extension is granted only this many days before the scheduled end, or later (default: from
    /// the return kit on, which tells the lessee the options at the end).
    /// </summary>
    public int ExtensionWindowDays { get; set; } = 120;

    /// <summary>
    /// The inspector's odometer may read at most this many miles below the odometer statement the
    /// lessee signed at the return (a rounded or mistyped statement); further below, one of the two
    /// readings is wrong and the inspection result is refused until it is corrected.
    /// </summary>
    public long InspectionOdometerToleranceMiles { get; set; } = 250;

    /// <summary>
    /// How far ahead of this service's clock an instant another service reports (an inspection's
    /// <c>inspected_at</c>, an auction's <c>closed_at</c>) may be: processes' clocks differ slightly.
    /// </summary>
    public TimeSpan ReportedTimeTolerance { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after the scheduled end a lease is figured without review: a return later than
    /// this is taken and flagged for the remarketing center (keeping the vehicle past its end is
    /// not charged here), and no quote is figured as of a future date beyond it.
    /// </summary>
    public int MaxDaysPastScheduledEnd { get; set; } = 30;

    /// <summary>Used-vehicle retail financing: the vehicle must be under this many model years old at inception.</summary>
    public int RetailFinancingMaxModelYears { get; set; } = 10;

    /// <summary>Used-vehicle retail financing: at most this many miles at inception.</summary>
    public long RetailFinancingMaxOdometerMiles { get; set; } = 120_000;

    /// <summary>Real time between two looks for return kits due and dealer-purchase holds that lapsed.</summary>
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest detail another service may give a reported step.</summary>
    public int MaxEventDetailLength { get; set; } = 500;
}
