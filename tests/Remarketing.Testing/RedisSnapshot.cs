using System.Security.Cryptography;
using StackExchange.Redis;

namespace Remarketing.Testing;

/// <summary>Every key of a Redis and what it holds, as one digest: equal digests mean nothing was written.</summary>
public static class RedisSnapshot
{
    public static async Task<string> DigestAsync(IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        var keys = await KeysAsync(redis);
        keys.Sort((a, b) => string.CompareOrdinal(a, b));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in keys)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes((string)key!));
            hash.AppendData(await database.KeyDumpAsync(key) ?? []);
        }
        return $"{keys.Count} keys, sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }

    /// <summary>Every key of every server (as an admin, who may scan).</summary>
    public static async Task<List<RedisKey>> KeysAsync(IConnectionMultiplexer redis)
    {
        var keys = new List<RedisKey>();
        foreach (var server in redis.GetServers())
            await foreach (var key in server.KeysAsync(pageSize: 1000))
                keys.Add(key);
        return keys;
    }
}

/// <summary>
/// What every key of a Redis holds, by meaning rather than encoding (a reloaded hash may be
/// encoded differently and dump differently, and still hold the same): to compare a Redis
/// before it was killed with the same Redis started again from its files.
/// </summary>
public sealed class RedisContents
{
    private RedisContents(IReadOnlyDictionary<string, IReadOnlyList<string>> keys) => Keys = keys;

    /// <summary>Each key's content as lines: a string's value; a hash's, set's or sorted set's members in order; a list's or a stream's entries in order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Keys { get; }

    /// <summary>Every key but those expiring within <paramref name="leasesUnder"/> (leases, which may lapse across a restart: not acknowledged data).</summary>
    public static async Task<RedisContents> TakeAsync(IConnectionMultiplexer redis, TimeSpan? leasesUnder = null)
    {
        var database = redis.GetDatabase();
        var keys = await RedisSnapshot.KeysAsync(redis);
        var contents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var expiresIn = await database.KeyTimeToLiveAsync(key);
            if (expiresIn is { } left && left < (leasesUnder ?? TimeSpan.FromMinutes(1)))
                continue;
            if (await ContentAsync(database, key) is { } content)
                contents[(string)key!] = content;
        }
        return new RedisContents(contents);
    }

    /// <summary>The keys <paramref name="keep"/> keeps.</summary>
    public RedisContents Only(Func<string, bool> keep) =>
        new(Keys.Where(pair => keep(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));

    /// <summary>What <paramref name="after"/> lost or gained against this, by the service owning each key (its prefix).</summary>
    public RedisDifference Against(RedisContents after)
    {
        var difference = new RedisDifference();
        foreach (var (key, before) in Keys)
        {
            var owner = OwnerOf(key);
            difference.Compared(owner);
            if (!after.Keys.TryGetValue(key, out var now))
            {
                difference.Lost(owner, $"{key}: gone");
                continue;
            }
            if (before.SequenceEqual(now))
                continue;
            var missing = before.Except(now).ToList();
            var extra = now.Except(before).ToList();
            var repeated = now.Count - now.Distinct().Count();
            if (missing.Count > 0)
                difference.Lost(owner, $"{key}: {missing.Count} of {before.Count} entries gone, e.g. {missing[0]}");
            if (extra.Count > 0 || repeated > 0)
                difference.Duplicated(owner, $"{key}: {extra.Count + repeated} entries not there before, e.g. {(extra.Count > 0 ? extra[0] : "a repeat")}");
            if (missing.Count == 0 && extra.Count == 0 && repeated == 0)
                difference.Lost(owner, $"{key}: the same entries in another order");
        }
        foreach (var key in after.Keys.Keys.Where(key => !Keys.ContainsKey(key)))
            difference.Duplicated(OwnerOf(key), $"{key}: not there before");
        return difference;
    }

    /// <summary>"auction" for "auction:{listing:L-1}:state", "clock" for "clock".</summary>
    public static string OwnerOf(string key) => key.Split(':', 2)[0];

    private static async Task<IReadOnlyList<string>?> ContentAsync(IDatabase database, RedisKey key)
    {
        static string Text(RedisValue value) => value.IsNull ? "(nil)" : Convert.ToBase64String((byte[])value!);
        return await database.KeyTypeAsync(key) switch
        {
            RedisType.String => [Text(await database.StringGetAsync(key))],
            RedisType.Hash => [.. (await database.HashGetAllAsync(key)).Select(entry => $"{entry.Name}={Text(entry.Value)}").Order(StringComparer.Ordinal)],
            RedisType.Set => [.. (await database.SetMembersAsync(key)).Select(Text).Order(StringComparer.Ordinal)],
            RedisType.SortedSet => [.. (await database.SortedSetRangeByRankWithScoresAsync(key)).Select(entry => $"{Text(entry.Element)} {entry.Score:R}")],
            RedisType.List => [.. (await database.ListRangeAsync(key)).Select(Text)],
            RedisType.Stream => [.. (await database.StreamRangeAsync(key)).Select(entry =>
                $"{entry.Id} " + string.Join(" ", entry.Values.Select(field => $"{field.Name}={Text(field.Value)}")))],
            _ => null,
        };
    }
}

/// <summary>What a restarted Redis lost or gained, by owner (the key's prefix: quote, inspection, auction, transport, clock).</summary>
public sealed class RedisDifference
{
    private readonly Dictionary<string, int> _compared = new(StringComparer.Ordinal);
    private readonly List<(string Owner, string What)> _lost = [];
    private readonly List<(string Owner, string What)> _duplicated = [];

    /// <summary>Keys compared, by owner.</summary>
    public IReadOnlyDictionary<string, int> ComparedKeys => _compared;

    public IReadOnlyList<(string Owner, string What)> LostKeys => _lost;

    public IReadOnlyList<(string Owner, string What)> DuplicatedKeys => _duplicated;

    internal void Compared(string owner) => _compared[owner] = _compared.GetValueOrDefault(owner) + 1;

    internal void Lost(string owner, string what) => _lost.Add((owner, what));

    internal void Duplicated(string owner, string what) => _duplicated.Add((owner, what));
}
