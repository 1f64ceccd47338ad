using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

/// <summary>remarketing.redis.errors: connections to Redis lost or refused, and errors Redis answered or the client met, by kind.</summary>
public sealed class RedisMetrics
{
    public const string MeterName = "Remarketing.Redis";

    private readonly Counter<long> _errors;

    public RedisMetrics(IMeterFactory meters) =>
        _errors = meters.Create(MeterName).CreateCounter<long>("remarketing.redis.errors",
            description: "Redis connections that failed, errors Redis answered, and the client's internal errors, by kind");

    public void Watch(IConnectionMultiplexer redis)
    {
        redis.ConnectionFailed += (_, failed) => Count("connection_failed", failed.FailureType.ToString());
        redis.ErrorMessage += (_, _) => Count("error_reply", "");
        redis.InternalError += (_, _) => Count("internal", "");
    }

    private void Count(string kind, string failure) =>
        _errors.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("failure", failure));
}
