using System.Diagnostics.Metrics;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// remarketing.handoffs.*: how many hand-offs wait and how many failed (as the sender last counted
/// them), and how many were delivered or refused, by operation.
/// </summary>
public sealed class HandOffMetrics
{
    public const string MeterName = "Remarketing.HandOffs";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _refused;
    private long _pending;
    private long _failed;

    public HandOffMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _delivered = meter.CreateCounter<long>("remarketing.handoffs.delivered", description: "Hand-offs the receiver acknowledged");
        _refused = meter.CreateCounter<long>("remarketing.handoffs.attempts_failed", description: "Delivery attempts that did not succeed");
        meter.CreateObservableGauge("remarketing.handoffs.pending", () => Interlocked.Read(ref _pending), description: "Hand-offs written and not yet acknowledged");
        meter.CreateObservableGauge("remarketing.handoffs.failed", () => Interlocked.Read(ref _failed), description: "Hand-offs moved to the failed stream");
    }

    public void Delivered(string operation) => _delivered.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void AttemptFailed(string operation, string status) =>
        _refused.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", status));

    public void Counted(long pending, long failed)
    {
        Interlocked.Exchange(ref _pending, pending);
        Interlocked.Exchange(ref _failed, failed);
    }
}
