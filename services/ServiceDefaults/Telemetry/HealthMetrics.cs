using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.ServiceDefaults.Telemetry;

/// <summary>
/// remarketing.health.status: each health check's last result (0 healthy, 1 degraded, 2 unhealthy),
/// by check, from the health checks run every few seconds: what an alert on a degraded service
/// or on Redis' persistence reads.
/// </summary>
public sealed class HealthMetrics : IHealthCheckPublisher
{
    public const string MeterName = "Remarketing.Health";

    /// <summary>How often the health checks run for the gauge.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private volatile HealthReport? _last;

    public HealthMetrics(IMeterFactory meters) =>
        meters.Create(MeterName).CreateObservableGauge("remarketing.health.status", Measure,
            description: "Each health check's last result: 0 healthy, 1 degraded, 2 unhealthy");

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        _last = report;
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> Measure() =>
        _last is not { } report ? []
            : report.Entries.Select(entry => new Measurement<int>(Level(entry.Value.Status), new KeyValuePair<string, object?>("check", entry.Key)));

    private static int Level(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };
}
