using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Clients;

public static class ServiceClientExtensions
{
    /// <summary>
    /// Registers a gRPC client for another service at the address in <c>Services:{name}</c>,
    /// calling with this service's own service token.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, string name)
        where TClient : ClientBase
    {
        // Real time, not the TimeProvider registered (the shared clock): a token must not expire at simulation speed.
        services.TryAddSingleton(provider => new ServiceToken(provider.GetRequiredService<TokenIssuer>()));
        return services.AddUpstreamClient<TClient>(name)
            .AddCallCredentials((_, metadata, provider) =>
            {
                metadata.Add("authorization", $"Bearer {provider.GetRequiredService<ServiceToken>().Current}");
                return Task.CompletedTask;
            });
    }

    /// <summary>
    /// Registers a gRPC client (named <see cref="ClientName{TClient}"/>) for the service at <c>Services:{name}</c>,
    /// whose calls carry only the headers they are given (the gateway's carry the caller's identity).
    /// Where several instances are configured, calls go round robin over those that answer.
    /// </summary>
    public static IHttpClientBuilder AddUpstreamClient<TClient>(this IServiceCollection services, string name)
        where TClient : ClientBase
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ResolverFactory, StaticResolverFactory>(
            provider => ServiceAddresses.Resolver(provider.GetRequiredService<IConfiguration>())));
        return services
            .AddGrpcClient<TClient>(ClientName<TClient>(name), options => options.Address = ServiceAddresses.Client(name))
            .ConfigureChannel(channel =>
            {
                channel.Credentials = ChannelCredentials.Insecure;
                channel.UnsafeUseInsecureChannelCallCredentials = true;
                channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
            })
            .ConfigurePrimaryHttpMessageHandler(ServiceAddresses.NewHandler)
            // A line per call at Information: traces and metrics already tell each call.
            .RemoveAllLoggers();
    }

    /// <summary>
    /// The name a client of <paramref name="service"/> is registered under, for GrpcClientFactory:
    /// one type may have clients of several services, and one service clients of several types.
    /// </summary>
    public static string ClientName<TClient>(string service) => $"{service}/{typeof(TClient).Name}";

    /// <summary>Quote's client and <see cref="ReturnCaseReferences"/>: for a service whose records name return cases.</summary>
    public static IServiceCollection AddReturnCaseReferences(this IServiceCollection services)
    {
        services.AddServiceClient<QuoteService.QuoteServiceClient>("quote");
        services.AddTransient<ReturnCaseReferences>();
        return services;
    }
}
