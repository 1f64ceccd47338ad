using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>
/// Reads one service instance's own /healthz (over HTTP/2 on its gRPC port, open to anyone): its
/// status and each check's status and description, or null when it does not answer.
/// </summary>
public sealed class BackendHealthReader : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = System.Threading.Timeout.InfiniteTimeSpan })
    {
        // The services' gRPC ports speak HTTP/2 only, without TLS.
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout,
    };

    public sealed record Report(HealthStatus Status, IReadOnlyDictionary<string, (HealthStatus Status, string? Description)> Checks);

    /// <summary>The instance's report, or null with the reason it gave none.</summary>
    public async Task<(Report? Report, string? Failure)> ReadAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(new Uri(address), "/healthz"), cancellationToken);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
            var root = json.RootElement;
            var checks = root.GetProperty("checks").EnumerateObject().ToDictionary(
                check => check.Name,
                check => (Parse(check.Value.GetProperty("status").GetString()), check.Value.GetProperty("description").GetString()),
                StringComparer.Ordinal);
            return (new Report(Parse(root.GetProperty("status").GetString()), checks), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return (null, exception.GetType().Name);
        }
    }

    public void Dispose() => _http.Dispose();

    private static HealthStatus Parse(string? status) => Enum.Parse<HealthStatus>(status ?? nameof(HealthStatus.Unhealthy));
}
