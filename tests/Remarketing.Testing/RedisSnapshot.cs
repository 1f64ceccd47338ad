using System.Security.Cryptography;
using StackExchange.Redis;

namespace Remarketing.Testing;

/// <summary>Every key of a Redis and what it holds, as one digest: equal digests mean nothing was written.</summary>
public static class RedisSnapshot
{
    public static async Task<string> DigestAsync(IConnectionMultiplexer redis)
    {
        var database = redis.GetDatabase();
        var keys = new List<RedisKey>();
        foreach (var server in redis.GetServers())
            await foreach (var key in server.KeysAsync(pageSize: 1000))
                keys.Add(key);
        keys.Sort((a, b) => string.CompareOrdinal(a, b));

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in keys)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes((string)key!));
            hash.AppendData(await database.KeyDumpAsync(key) ?? []);
        }
        return $"{keys.Count} keys, sha256 {Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }
}
