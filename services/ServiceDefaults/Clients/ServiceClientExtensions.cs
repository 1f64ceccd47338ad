using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Security;

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
        // Real time, not the TimeProvider registered (the shared clock): a token must not expire at simulation speed.
        builder.Services.AddSingleton(services => new ServiceToken(services.GetRequiredService<TokenIssuer>()));
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

    /// <summary>Quote's client and <see cref="ReturnCaseReferences"/>: for a service whose records name return cases.</summary>
    public static IHostApplicationBuilder AddReturnCaseReferences(this IHostApplicationBuilder builder)
    {
        builder.AddServiceClient<QuoteService.QuoteServiceClient>("quote");
        builder.Services.AddTransient<ReturnCaseReferences>();
        return builder;
    }
}
