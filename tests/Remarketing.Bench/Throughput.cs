namespace Remarketing.Bench;

/// <summary>
/// Bids a second and their latency percentiles (ms) in one placement run; <c>Accepted</c> is the
/// share the engine accepted; <c>Cpu</c> where the cores went while it ran; <c>Answered</c>, when
/// kept, every answer's local time and latency (counted from when the call was due).
/// </summary>
public sealed record Throughput(double PerSecond, double P50, double P99, double Accepted, CpuShare Cpu, IReadOnlyList<(DateTime At, double Ms)>? Answered = null)
{
    /// <summary>CPU time per call of each part, in microseconds.</summary>
    public string CpuPerCall => Cpu.PerCall(PerSecond);
}
