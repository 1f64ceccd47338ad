using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Remarketing.ServiceDefaults.Invariants;

public static class InvariantExtensions
{
    /// <summary>Checks <typeparamref name="TCheck"/> at start and on a timer (<see cref="InvariantMonitor"/>), in health as "invariants".</summary>
    public static IHostApplicationBuilder AddInvariantCheck<TCheck>(this IHostApplicationBuilder builder)
        where TCheck : class, IInvariantCheck
    {
        builder.Services.AddSingleton<IInvariantCheck, TCheck>();
        if (builder.Services.Any(service => service.ServiceType == typeof(InvariantMonitor)))
            return builder;
        builder.Services.AddOptions<InvariantOptions>().BindConfiguration(InvariantOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<InvariantMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<InvariantMonitor>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("invariants", services => services.GetRequiredService<InvariantMonitor>(), null, null));
        return builder;
    }
}
