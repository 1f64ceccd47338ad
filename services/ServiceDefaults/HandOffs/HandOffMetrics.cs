using System.Diagnostics.Metrics;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// remarketing.handoffs.*: how many hand-offs wait, how long the oldest has waited and how many
/// failed (as the outbox's health check last read them: every instance of a service reads the one
/// outbox they share), and how many this instance delivered or saw refused, by operation.
/// </summary>
public sealed class HandOffMetrics
{
    public const string MeterName = "Remarketing.HandOffs";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _refused;
    private volatile Count? _last;

    public HandOffMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _delivered = meter.CreateCounter<long>("remarketing.handoffs.delivered", description: "Hand-offs the receiver acknowledged");
        _refused = meter.CreateCounter<long>("remarketing.handoffs.attempts_failed", description: "Delivery attempts that did not succeed");
        meter.CreateObservableGauge("remarketing.handoffs.pending", () => Measure(count => count.Pending), description: "Hand-offs written and not yet acknowledged");
        meter.CreateObservableGauge("remarketing.handoffs.oldest_pending", () => Measure(count => count.OldestWaited.TotalSeconds), unit: "s",
            description: "How long the oldest hand-off not yet acknowledged has waited (0 when none waits)");
        meter.CreateObservableGauge("remarketing.handoffs.failed", () => Measure(count => count.Failed), description: "Hand-offs moved to the failed stream");
    }

    public void Delivered(string operation) => _delivered.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void AttemptFailed(string operation, string status) =>
        _refused.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", status));

    public void Counted(long pending, TimeSpan oldestWaited, long failed) => _last = new Count(pending, oldestWaited, failed);

    /// <summary>Nothing until the outbox was first read: a gauge at 0 would say all was delivered.</summary>
    private IEnumerable<Measurement<T>> Measure<T>(Func<Count, T> value) where T : struct =>
        _last is { } count ? [new Measurement<T>(value(count))] : [];

    private sealed record Count(long Pending, TimeSpan OldestWaited, long Failed);
}
