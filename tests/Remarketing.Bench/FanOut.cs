namespace Remarketing.Bench;

/// <summary>How fast one bid reaches every watcher, and what the open streams cost in bytes.</summary>
public sealed record FanOut(double P50, double P99, int Complete, int Events, long GatewayBytes, long AuctionBytes, int Watchers)
{
    public double BytesPerStream => (double)(GatewayBytes + AuctionBytes) / Watchers;
}
