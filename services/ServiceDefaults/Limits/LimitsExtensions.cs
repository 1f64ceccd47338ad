using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Remarketing.ServiceDefaults.Limits;

public static class LimitsExtensions
{
    /// <summary>The per-caller limits (<c>RateLimits</c> section), validated at start.</summary>
    public static TBuilder AddCallerLimits<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<CallerLimitsOptions>().BindConfiguration(CallerLimitsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => Valid(options.Writes) && Valid(options.Reads), "RateLimits:Writes and RateLimits:Reads need TokenLimit and TokensPerPeriod of 1 or more and a ReplenishmentPeriod above 0")
            .ValidateOnStart();
        builder.Services.AddSingleton<CallerLimits>();
        return builder;
    }

    private static bool Valid(TokenBucketSettings bucket) =>
        bucket.TokenLimit >= 1 && bucket.TokensPerPeriod >= 1 && bucket.ReplenishmentPeriod > TimeSpan.Zero;
}
