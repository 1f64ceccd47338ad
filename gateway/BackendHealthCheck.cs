using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>
/// Asks each instance of one backend whether it serves (grpc.health.v1.Health, open to anyone):
/// healthy when all do, degraded when some do, unhealthy when none does.
/// </summary>
public sealed class BackendHealthCheck(string backend, IReadOnlyList<string> addresses) : IHealthCheck, IDisposable
{
    private readonly GrpcChannel[] _channels = [.. addresses.Select(address => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
    }))];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var answers = await Task.WhenAll(_channels.Select(channel => ServesAsync(channel, cancellationToken)));
        var failing = answers.Where(answer => answer is not null).ToArray();
        if (failing.Length == 0)
            return HealthCheckResult.Healthy();
        var description = string.Join("; ", failing);
        return failing.Length == answers.Length ? HealthCheckResult.Unhealthy(description) : HealthCheckResult.Degraded(description);
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
            channel.Dispose();
    }

    /// <summary>Null when the instance serves; otherwise what is wrong with it.</summary>
    private async Task<string?> ServesAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(3), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : $"{backend} at {channel.Target} reports {reply.Status}";
        }
        catch (RpcException exception)
        {
            return $"{backend} at {channel.Target} does not answer: {exception.Status.StatusCode}";
        }
    }
}
