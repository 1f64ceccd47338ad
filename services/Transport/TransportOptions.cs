namespace Remarketing.Transport;

public sealed class TransportOptions
{
    public const string Section = "Transport";

    public static readonly TimeSpan ShortestPickupWindow = TimeSpan.FromDays(1);
    public static readonly TimeSpan LongestPickupWindow = TimeSpan.FromDays(7);

    /// <summary>A pickup is due this long after it is ordered (DESIGN: within 1-7 days).</summary>
    public TimeSpan PickupWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A bill of lading releases the vehicle for this long after it is issued.</summary>
    public TimeSpan BillOfLadingValidity { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Real time between two looks for pickups that became overdue.</summary>
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromSeconds(1);
}
