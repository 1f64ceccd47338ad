using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// Bids a second and their latency percentiles (ms) in one placement run; <c>Accepted</c> is the
/// share the engine accepted; <c>Cpu</c> where the cores went while it ran; <c>Answered</c>, when
/// kept, every answer's local time and latency (counted from when the call was due);
/// <c>AofRewrites</c>, how many rewrites of Redis' append-only file ran while it did (each forks
/// Redis and writes the whole data set again, on the same cores).
/// </summary>
public sealed record Throughput(double PerSecond, double P50, double P99, double Accepted, CpuShare Cpu, IReadOnlyList<(DateTime At, double Ms)>? Answered = null,
    long AofRewrites = 0)
{
    /// <summary>p50 and p99, and the AOF rewrites that ran during the phase.</summary>
    public string Latency => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:F2} ms, p99 {P99:F2} ms; Redis AOF rewrites during it {AofRewrites}");

    /// <summary>CPU time per call of each part, in microseconds.</summary>
    public string CpuPerCall => Cpu.PerCall(PerSecond);
}
