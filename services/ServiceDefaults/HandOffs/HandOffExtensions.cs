using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.HandOffs;

public static class HandOffExtensions
{
    /// <summary>
    /// The service's outbox and its sender, for hand-offs to the services in <paramref name="receivers"/>
    /// (their addresses in <c>Services:{name}</c>, checked at start), with a health check and metrics.
    /// </summary>
    public static TBuilder AddHandOffs<TBuilder>(this TBuilder builder, params string[] receivers) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<HandOffOptions>().BindConfiguration(HandOffOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (_, configuration) => receivers.All(receiver => !string.IsNullOrWhiteSpace(configuration[$"Services:{receiver}"])),
                $"hand-offs go to {string.Join(", ", receivers)}: configure Services:<name> with each one's address, e.g. Services:inspection=http://127.0.0.1:5102")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new Outbox(services.GetRequiredService<IOptions<AuthOptions>>().Value.Signer));
        foreach (var receiver in receivers)
            builder.Services.AddServiceClient<HandOffClient>(receiver);
        builder.Services.AddSingleton<HandOffMetrics>();
        builder.Services.AddSingleton(HandOffRetryClock.Real);
        builder.Services.AddSingleton<HandOffSender>();
        builder.Services.AddSingleton<FailedHandOffs>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HandOffSender>());
        builder.Services.AddHealthChecks().AddCheck<HandOffHealthCheck>("handoffs");
        return builder;
    }
}
