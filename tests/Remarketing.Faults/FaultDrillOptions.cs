namespace Remarketing.Faults;

/// <param name="Dealers">Buying dealers bidding all the time, each on its own connection.</param>
/// <param name="Watchers">WatchListing streams, resuming from their last sequence whenever they break.</param>
/// <param name="Before">Steady traffic before the fault.</param>
/// <param name="After">Steady traffic once the killed process is back.</param>
/// <param name="ClosingListings">Listings ending together while one of two Auction instances is killed.</param>
public sealed record FaultDrillOptions(int Dealers, int Watchers, TimeSpan Before, TimeSpan After, int ClosingListings)
{
    /// <summary>The size the test suite runs.</summary>
    public static FaultDrillOptions Small { get; } = new(4, 6, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), 6);

    /// <summary>The size docs/faults.md reports.</summary>
    public static FaultDrillOptions Standard { get; } = new(16, 40, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8), 30);
}
