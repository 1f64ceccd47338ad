using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>
/// The gateway's "clock" entry: the shared clock as the services hold it (the gateway has no Redis
/// to read it from), taken from one instance of each backend. Degraded when they disagree or none
/// answers with its clock.
/// </summary>
public sealed class SharedClockHealthCheck(IReadOnlyDictionary<string, string> addressOfEachBackend, BackendHealthReader reader) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clocks = (await Task.WhenAll(addressOfEachBackend.Select(async backend =>
            (Backend: backend.Key, Clock: (await reader.ReadAsync(backend.Value, cancellationToken)).Report?.Checks.GetValueOrDefault("clock").Description))))
            .Where(seen => seen.Clock is not null)
            .ToList();
        if (clocks.Count == 0)
            return HealthCheckResult.Degraded("no service answered with its clock");
        var versions = clocks.GroupBy(seen => seen.Clock!, StringComparer.Ordinal).ToList();
        return versions.Count == 1
            ? HealthCheckResult.Healthy($"{versions[0].Key} (as {string.Join(", ", clocks.Select(seen => seen.Backend))} hold it)")
            : HealthCheckResult.Degraded("the services disagree about the clock: " + string.Join("; ", clocks.Select(seen => $"{seen.Backend}: {seen.Clock}")));
    }
}
