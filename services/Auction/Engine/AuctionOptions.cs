namespace Remarketing.Auction.Engine;

public sealed class AuctionOptions
{
    public const string Section = "Auction";

    /// <summary>DESIGN section 4: a listing is open for up to 6 days.</summary>
    public static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(6);

    /// <summary>Bids and prices above this are refused as malformed (a guard against overflow and typos: $100M).</summary>
    public const long MaximumAmountCents = 100_000_000_00;

    /// <summary>The window of a listing created without one.</summary>
    public TimeSpan DefaultWindow { get; set; } = MaximumWindow;

    /// <summary>A bid in the last SoftClose of a window moves the end to now + SoftClose. Zero: a hard close.</summary>
    public TimeSpan SoftClose { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The increment table: a bid must beat the price by the step of the price's band. Empty means
    /// <see cref="IncrementTable.DefaultBands"/> (configuration binding appends to an array, so the
    /// default cannot live in the property).
    /// </summary>
    public IncrementBand[] Increments { get; set; } = [];

    public IncrementBand[] EffectiveIncrements => Increments.Length > 0 ? Increments : IncrementTable.DefaultBands;

    /// <summary>Real time between two looks for listings whose end has come.</summary>
    public TimeSpan CloserInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Where a transporter takes a vehicle that did not sell.</summary>
    public string UnsoldDestination { get; set; } = "remarketing center's physical auction lot";
}
