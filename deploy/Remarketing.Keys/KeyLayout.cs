using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Keys;

/// <summary>
/// Moves the keys an earlier version wrote to where this one reads them, as Redis' admin, before
/// the services start: each service's records, indexes and outbox into its one slot
/// ("quote:account:A-1" to "quote:{quote}:account:A-1", "quote:{outbox}" to
/// "quote:{quote}:outbox"), and the clock's request ids into the clock's slot. A listing's keys
/// and a vehicle's claim keep their names. Each move is a RENAMENX: a key whose new name is taken
/// stays where it is and is named, for a person to look at. Run again, it moves nothing.
/// </summary>
public static class KeyLayout
{
    private const string OldOutboxTag = "{outbox}";
    private const string OldClockRequests = "clock:request:";

    /// <summary>Where an old key goes now; null when it is where this version reads it.</summary>
    public static string? NewNameOf(string key)
    {
        if (key.StartsWith(OldClockRequests, StringComparison.Ordinal))
            return ClockStore.RequestPrefix + key[OldClockRequests.Length..];
        foreach (var service in RedisAccess.ServiceUsers)
        {
            var oldPrefix = service + ":";
            if (!key.StartsWith(oldPrefix, StringComparison.Ordinal) || key.StartsWith(ServiceKeys.Prefix(service), StringComparison.Ordinal))
                continue;
            var rest = key[oldPrefix.Length..];
            if (rest.StartsWith(OldOutboxTag, StringComparison.Ordinal))
                return ServiceKeys.Prefix(service) + "outbox" + rest[OldOutboxTag.Length..];
            // The Auction service's other keys (a listing's, a vehicle's claim, the listing indexes) keep their names.
            return service == "auction" ? null : ServiceKeys.Prefix(service) + rest;
        }
        return null;
    }

    /// <summary>Moves every old key on every primary; the keys moved, and those left because their new name was taken.</summary>
    public static async Task<(int Moved, IReadOnlyList<string> Left)> MigrateAsync(IConnectionMultiplexer admin)
    {
        var database = admin.GetDatabase();
        var moved = 0;
        var left = new List<string>();
        foreach (var server in admin.GetServers().Where(server => !server.IsReplica))
        {
            var keys = new List<string>();
            foreach (var pattern in RedisAccess.ServiceUsers.Select(service => service + ":*").Append(OldClockRequests + "*"))
                await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
                    keys.Add(key!);
            foreach (var key in keys)
            {
                if (NewNameOf(key) is not { } renamed)
                    continue;
                if (await database.KeyRenameAsync(key, renamed, When.NotExists))
                    moved++;
                else
                    left.Add(key);
            }
        }
        return (moved, left);
    }

    /// <summary>Connects as the admin, migrates and prints what it did; 1 when a key could not move.</summary>
    public static async Task<int> RunAsync(string keysDirectory, string redisAddress, TextWriter output)
    {
        var options = RedisAccess.OptionsFor(redisAddress, RedisAccess.Admin, RedisAccess.ReadPassword(keysDirectory, RedisAccess.Admin));
        await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
        var (moved, left) = await MigrateAsync(admin);
        if (moved > 0)
            output.WriteLine($"moved {moved} keys to this version's layout (each service's keys in one hash slot)");
        foreach (var key in left)
            output.WriteLine($"not moved: {key} (its new name {NewNameOf(key)} is taken); look at both and remove one");
        return left.Count == 0 ? 0 : 1;
    }
}
