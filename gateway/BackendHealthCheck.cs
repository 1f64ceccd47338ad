using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remarketing.Gateway;

/// <summary>Asks one backend's grpc.health.v1.Health whether it serves.</summary>
public sealed class BackendHealthCheck(GrpcClientFactory clients, string backend) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await clients.CreateClient<Health.HealthClient>(backend)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(3), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{backend} reports {reply.Status}");
        }
        catch (RpcException exception)
        {
            return HealthCheckResult.Unhealthy($"{backend} does not answer: {exception.Status.StatusCode}");
        }
    }
}
