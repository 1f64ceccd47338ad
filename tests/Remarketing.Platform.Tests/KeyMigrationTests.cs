using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>
/// Data an earlier version wrote, moved by the built tool (as run.sh runs it, as Redis' admin)
/// to where this version reads it: each service's keys into its one hash slot, the listings' as
/// they were; values, types and expiries kept; nothing moved the second time.
/// </summary>
[Trait("Category", "System")]
public sealed class KeyMigrationTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartLocalAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task OldKeys_MoveIntoEachServicesSlot_ListingsStay_AndASecondRunMovesNothing()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var database = admin.GetDatabase();
        await database.StringSetAsync("quote:account:A-1", "{\"accountId\":\"A-1\"}");
        await database.HashSetAsync("quote:request:op|rc|RC-1|r-1", "fingerprint", "f");
        await database.KeyExpireAsync("quote:request:op|rc|RC-1|r-1", TimeSpan.FromDays(30));
        await database.StreamAddAsync("quote:{outbox}", "id", "h-1");
        await database.StreamAddAsync("inspection:{outbox}:failed", "id", "h-2");
        await database.SortedSetAddAsync("transport:orders", "000000000000001|PO-1", 0);
        await database.SetAddAsync("auction:{outbox}:published", "ended:L-1");
        await database.HashSetAsync("auction:{listing:L-1}:state", "status", "live");
        await database.SortedSetAddAsync("auction:closing", "L-1", 1);
        await database.StringSetAsync("clock", "{}");
        await database.HashSetAsync("clock:request:set|remarketing|RC-1|speed-1", "fingerprint", "f");

        var first = await MigrateAsync();
        var second = await MigrateAsync();

        Assert.Equal((0, "moved 7 keys to this version's layout (each service's keys in one hash slot)"), (first.Exit, first.Printed.Trim()));
        Assert.Equal((0, ""), (second.Exit, second.Printed.Trim()));
        Assert.Equal("{\"accountId\":\"A-1\"}", (string?)await database.StringGetAsync("quote:{quote}:account:A-1"));
        Assert.True((await database.KeyTimeToLiveAsync("quote:{quote}:request:op|rc|RC-1|r-1")) > TimeSpan.FromDays(29));
        Assert.Equal("h-1", (string?)(await database.StreamRangeAsync("quote:{quote}:outbox")).Single()["id"]);
        Assert.Equal(1, await database.StreamLengthAsync("inspection:{inspection}:outbox:failed"));
        Assert.Equal(1, await database.SortedSetLengthAsync("transport:{transport}:orders"));
        Assert.True(await database.SetContainsAsync("auction:{auction}:outbox:published", "ended:L-1"));
        Assert.True(await database.KeyExistsAsync("clock:{clock}:request:set|remarketing|RC-1|speed-1"));
        Assert.True(await database.KeyExistsAsync("auction:{listing:L-1}:state"));
        Assert.True(await database.KeyExistsAsync("auction:closing"));
        Assert.True(await database.KeyExistsAsync("clock"));
        Assert.False(await database.KeyExistsAsync("quote:account:A-1"));
        Assert.False(await database.KeyExistsAsync("quote:{outbox}"));
    }

    [Fact]
    public async Task AKeyWhoseNewNameIsTaken_StaysWhereItIs_IsNamed_ExitCode1()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var database = admin.GetDatabase();
        await database.StringSetAsync("inspection:order:IO-1", "old");
        await database.StringSetAsync("inspection:{inspection}:order:IO-1", "new");

        var (exit, printed) = await MigrateAsync();

        Assert.Equal(1, exit);
        Assert.Equal("not moved: inspection:order:IO-1 (its new name inspection:{inspection}:order:IO-1 is taken); look at both and remove one", printed.Trim());
        Assert.Equal(("old", "new"), ((string?)await database.StringGetAsync("inspection:order:IO-1"), (string?)await database.StringGetAsync("inspection:{inspection}:order:IO-1")));
    }

    private async Task<(int Exit, string Printed)> MigrateAsync()
    {
        var (exitCode, printed, errors) = await Programs.RunAsync("dotnet",
            RepositoryLayout.BuiltAssembly("Remarketing.Keys"), "migrate", _redis.KeysDirectory, "--redis", _redis.Address);
        return (exitCode, printed + errors);
    }
}
