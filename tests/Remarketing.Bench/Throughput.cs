namespace Remarketing.Bench;

/// <summary>Bids a second and their latency percentiles (ms) in one placement run; <c>Accepted</c> is the share the engine accepted.</summary>
public sealed record Throughput(double PerSecond, double P50, double P99, double Accepted);
