using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

public static class RedisExtensions
{
    /// <summary>One <see cref="IConnectionMultiplexer"/> per process, and health checks that ping it and read its persistence.</summary>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateDataAnnotations()
            .Validate(options => string.IsNullOrWhiteSpace(options.PasswordFile) || File.Exists(options.PasswordFile), "Redis:PasswordFile names a file that does not exist")
            .ValidateOnStart();
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var settings = services.GetRequiredService<IOptions<RedisOptions>>().Value;
            var password = string.IsNullOrWhiteSpace(settings.PasswordFile) ? null : File.ReadAllText(settings.PasswordFile).Trim();
            var options = RedisAccess.OptionsFor(settings.Configuration, settings.User, password);
            // Start even while Redis is still coming up; the health check reports it until it answers.
            options.AbortOnConnectFail = false;
            options.ClientName ??= builder.Environment.ApplicationName;
            var redis = ConnectionMultiplexer.Connect(options);
            services.GetRequiredService<RedisMetrics>().Watch(redis);
            return redis;
        });
        builder.Services.AddSingleton<RedisMetrics>();
        builder.Services.AddSingleton<WriteAcknowledgement>();
        // One instance: it remembers when it last saw the rewrite count move.
        builder.Services.AddSingleton<RedisPersistenceHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis")
            .Add(new HealthCheckRegistration("redis-persistence", services => services.GetRequiredService<RedisPersistenceHealthCheck>(), null, null));
        return builder;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("Redis does not answer", exception);
            }
        }
    }
}
