using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>
/// Asks each instance of one backend for its own /healthz (over HTTP/2 on its gRPC port, open to
/// anyone) and passes on what it says: healthy when every instance is; degraded, with each
/// instance's reason (a failed hand-off, an invariant breached, Redis' persistence), when any
/// instance is degraded or some do not answer; unhealthy when none serves.
/// </summary>
public sealed class BackendHealthCheck(string backend, IReadOnlyList<string> addresses) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = System.Threading.Timeout.InfiniteTimeSpan })
    {
        // The services' gRPC ports speak HTTP/2 only, without TLS.
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout,
    };

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

    public void Dispose() => _http.Dispose();

    /// <summary>One instance's status, and what is wrong with it in its own checks' words.</summary>
    private async Task<(HealthStatus Status, string Description)> AskAsync(string address, CancellationToken cancellationToken)
    {
        var at = $"{backend} at {address.TrimEnd('/')}";
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(address), "/healthz"), cancellationToken);
            using var report = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var status = Enum.Parse<HealthStatus>(report.RootElement.GetProperty("status").GetString() ?? nameof(HealthStatus.Unhealthy));
            var reasons = report.RootElement.GetProperty("checks").EnumerateObject()
                .Where(check => check.Value.GetProperty("status").GetString() != nameof(HealthStatus.Healthy))
                .Select(check => $"{check.Name}: {check.Value.GetProperty("description").GetString()}");
            return (status, $"{at} is {status}: {string.Join(", ", reasons)}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return (HealthStatus.Unhealthy, $"{at} does not answer its health ({exception.GetType().Name})");
        }
    }
}
