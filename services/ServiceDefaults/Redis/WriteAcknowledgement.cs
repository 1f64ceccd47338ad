using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

/// <summary>
/// What a write waits for before the caller is told it is done. Always: its primary's append-only
/// file, fsynced before Redis answers (deploy/redis/redis.conf). With
/// <see cref="RedisOptions.ReplicasToAcknowledge"/> above 0 (a Redis with replicas, Redis Cluster):
/// that many replicas' copies too (WAIT), so a replica promoted when its primary dies holds every
/// acknowledged write. A write no replica confirms in time is still on the primary, but the caller
/// is told Unavailable, and its retry with the same request id is answered once it is copied.
/// </summary>
public sealed class WriteAcknowledgement(IConnectionMultiplexer redis, IOptions<RedisOptions> options)
{
    /// <summary>Waits until the writes this process made to <paramref name="key"/>'s primary are on the replicas asked for.</summary>
    public async Task CopiedAsync(RedisKey key)
    {
        var settings = options.Value;
        if (settings.ReplicasToAcknowledge == 0)
            return;
        // WAIT covers every write this connection sent that primary before it: one connection per primary (StackExchange.Redis).
        var copies = (long)await redis.GetServer(key).ExecuteAsync("WAIT", settings.ReplicasToAcknowledge, (long)settings.ReplicaTimeout.TotalMilliseconds);
        if (copies < settings.ReplicasToAcknowledge)
            throw new ReplicasBehindException($"the write is on the primary but {copies} of {settings.ReplicasToAcknowledge} replicas confirmed it within {settings.ReplicaTimeout.TotalMilliseconds} ms");
    }
}

/// <summary>A write its primary holds and not enough replicas confirmed in time: unavailable for the moment, never lost once acknowledged.</summary>
public sealed class ReplicasBehindException(string message) : RedisException(message);
