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
            .AddGrpcClient<TClient>(name, (services, options) => options.Address = ServiceAddresses.Of(services.GetRequiredService<IConfiguration>(), name))
            .ConfigureChannel(channel => channel.UnsafeUseInsecureChannelCallCredentials = true)
            .AddCallCredentials((_, metadata, services) =>
            {
                metadata.Add("authorization", $"Bearer {services.GetRequiredService<ServiceToken>().Current}");
                return Task.CompletedTask;
            })
            .ConfigurePrimaryHttpMessageHandler(ServiceAddresses.NewHandler);
    }
}
