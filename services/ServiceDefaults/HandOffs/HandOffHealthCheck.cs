using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>The outbox in health: how many hand-offs wait and how long the oldest has, and how many failed. Degraded while any failed or one waits too long.</summary>
public sealed class HandOffHealthCheck(Outbox outbox, IConnectionMultiplexer redis, IOptions<HandOffOptions> options, HandOffMetrics metrics) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var database = redis.GetDatabase();
            var pending = await database.StreamLengthAsync(outbox.Pending);
            var failed = await database.StreamLengthAsync(outbox.Failed);
            var oldest = pending == 0 ? [] : await database.StreamRangeAsync(outbox.Pending, "-", "+", 1);
            var waited = oldest.Length == 0 ? TimeSpan.Zero
                : DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds((long)oldest[0][HandOffField.WrittenAt]);
            metrics.Counted(pending, waited, failed);
            var description = string.Create(CultureInfo.InvariantCulture,
                $"{pending} hand-offs pending{(pending > 0 ? $" (oldest {waited.TotalSeconds:0} s)" : "")}, {failed} failed");
            var data = new Dictionary<string, object> { ["pending"] = pending, ["failed"] = failed, ["oldest_seconds"] = Math.Round(waited.TotalSeconds) };
            return failed > 0 || waited > options.Value.StaleAfter
                ? HealthCheckResult.Degraded(description, data: data)
                : HealthCheckResult.Healthy(description, data);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("the outbox cannot be read: Redis does not answer", exception);
        }
    }
}
