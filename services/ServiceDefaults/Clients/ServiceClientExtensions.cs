using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Remarketing.ServiceDefaults.Clients;

public static class ServiceClientExtensions
{
    /// <summary>
    /// Registers a gRPC client for another service at the address in <c>Services:{name}</c>,
    /// calling with this service's own service token.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IHostApplicationBuilder builder, string name)
        where TClient : ClientBase
    {
        builder.Services.AddSingleton<ServiceToken>();
        return builder.Services
            .AddGrpcClient<TClient>(name, (services, options) =>
            {
                var address = services.GetRequiredService<IConfiguration>()[$"Services:{name}"]
                    ?? throw new InvalidOperationException($"Services:{name} is not configured: the address of the {name} service, e.g. http://127.0.0.1:5103");
                options.Address = new Uri(address);
            })
            // Backends speak HTTP/2 without TLS on loopback or inside the cluster network.
            .ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true)
            .AddCallCredentials((_, metadata, services) =>
            {
                metadata.Add("authorization", $"Bearer {services.GetRequiredService<ServiceToken>().Current}");
                return Task.CompletedTask;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // About 100 concurrent streams fit one HTTP/2 connection; more calls would queue.
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            });
    }
}
