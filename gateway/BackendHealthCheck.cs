using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>
/// Asks each instance of one backend for its own /healthz and passes on what it says: healthy when
/// every instance is; degraded, with each instance's reason (a failed hand-off, an invariant
/// breached, Redis' persistence), when any instance is degraded or some do not answer; unhealthy
/// when none serves.
/// </summary>
public sealed class BackendHealthCheck(string backend, IReadOnlyList<string> addresses, BackendHealthReader reader) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = await Task.WhenAll(addresses.Select(address => AskAsync(address, cancellationToken)));
        var troubled = answers.Where(answer => answer.Status != HealthStatus.Healthy).ToArray();
        if (troubled.Length == 0)
            return HealthCheckResult.Healthy();
        var description = string.Join("; ", troubled.Select(answer => answer.Description));
        return answers.All(answer => answer.Status == HealthStatus.Unhealthy)
            ? HealthCheckResult.Unhealthy(description)
            : HealthCheckResult.Degraded(description);
    }

    /// <summary>One instance's status, and what is wrong with it in its own checks' words.</summary>
    private async Task<(HealthStatus Status, string Description)> AskAsync(string address, CancellationToken cancellationToken)
    {
        var at = $"{backend} at {address.TrimEnd('/')}";
        var (report, failure) = await reader.ReadAsync(address, cancellationToken);
        if (report is null)
            return (HealthStatus.Unhealthy, $"{at} does not answer its health ({failure})");
        var reasons = report.Checks.Where(check => check.Value.Status != HealthStatus.Healthy).Select(check => $"{check.Key}: {check.Value.Description}");
        return (report.Status, $"{at} is {report.Status}: {string.Join(", ", reasons)}");
    }
}
