namespace Remarketing.Bench;

/// <summary>How fast one bid reaches every watcher, and what the open streams cost in bytes (after a forced GC).</summary>
public sealed record FanOut(double P50, double P99, int Complete, int Events, long ProxyBytes, long AuctionBytes, int Watchers, CpuShare Cpu)
{
    public double BytesPerStream => (double)(ProxyBytes + AuctionBytes) / Watchers;
}
