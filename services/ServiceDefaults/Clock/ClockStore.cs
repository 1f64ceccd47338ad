using System.Text.Json;
using Remarketing.ServiceDefaults.Storage;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// The shared clock in Redis, outside every service's prefix and open to every service's user:
/// its definition as one JSON value under <see cref="Key"/>, a sharded PUBLISH on <see cref="Changes"/>
/// (the new version) with every change, and SetClock's request ids under "clock:{clock}:request:".
/// </summary>
public sealed class ClockStore(IConnectionMultiplexer redis)
{
    public const string Key = "clock";
    /// <summary>In the clock's slot (the tag {clock} hashes as the key "clock" does), so a change and its request id commit together on Redis Cluster.</summary>
    public const string RequestPrefix = "clock:{clock}:request:";
    public const string ChannelName = "clock";

    /// <summary>Sharded pub/sub in the clock's slot (a channel hashes as a key of its name does), published in the change's own transaction.</summary>
    public static readonly RedisChannel Changes = RedisChannel.Sharded(ChannelName);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly JsonDocuments<ClockDefinition> _clock = new(redis, "", RequestPrefix, "shared", Json);

    public Task<ClockDefinition?> ReadAsync() => _clock.FindAsync(Key);

    /// <summary>Writes <paramref name="definition"/> unless a clock is there already (SET NX); true if written.</summary>
    public async Task<bool> WriteIfAbsentAsync(ClockDefinition definition)
    {
        var database = redis.GetDatabase();
        if (!await database.StringSetAsync(Key, JsonSerializer.SerializeToUtf8Bytes(definition, Json), when: When.NotExists))
            return false;
        await database.PublishAsync(Changes, definition.Version);
        return true;
    }

    /// <summary>
    /// Changes the clock for <paramref name="request"/>: <paramref name="change"/> gets the stored
    /// definition (null if there is none) and returns the next one, written with the PUBLISH in
    /// one transaction that commits only if nobody changed the clock meanwhile. A repeated request
    /// id returns the definition it made and changes nothing.
    /// </summary>
    public Task<ClockDefinition> ChangeAsync(IdempotentRequest request, Func<ClockDefinition?, ClockDefinition> change) =>
        _clock.ChangeAsync(Key, request, stored =>
        {
            var next = change(stored);
            return new DocumentChange<ClockDefinition, ClockDefinition>(next, next, transaction => transaction.PublishAsync(Changes, next.Version));
        });
}
