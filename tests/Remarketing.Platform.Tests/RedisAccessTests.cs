using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>Each service's Redis user reaches its own keys and channels with the commands it uses, and nothing else.</summary>
public sealed class RedisAccessTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    // Redis as run.sh starts it: the ACL file the key ring tool writes, the default user off.
    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task AServicesUser_UsesItsOwnKeysScriptsChannelsAndTransactions()
    {
        await using var auction = await ConnectAsync("auction");
        var database = auction.GetDatabase();

        await database.HashSetAsync("auction:{listing:L-1}:state", "price", 100);
        var read = await database.ScriptEvaluateAsync("return redis.call('HGET', KEYS[1], 'price')", ["auction:{listing:L-1}:state"]);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual("auction:{listing:L-1}:state", "price", 100));
        _ = transaction.HashSetAsync("auction:{listing:L-1}:state", "price", 200);
        var received = new TaskCompletionSource<string>();
        var changes = RedisChannel.Sharded(Remarketing.Auction.Engine.AuctionKeys.Changes("L-1"));
        await auction.GetSubscriber().SubscribeAsync(changes, (_, message) => received.TrySetResult(message!));
        await database.PublishAsync(changes, "L-1 1 1");

        Assert.Equal("100", (string?)read);
        Assert.True(await transaction.ExecuteAsync());
        Assert.Equal("L-1 1 1", await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task EveryServicesUser_ReadsAndChangesTheSharedClock_AndHearsItsChanges()
    {
        await using var quote = await ConnectAsync("quote");
        await using var transport = await ConnectAsync("transport");
        var heard = new TaskCompletionSource<string>();
        await transport.GetSubscriber().SubscribeAsync(ClockStore.Changes, (_, message) => heard.TrySetResult(message!));

        await quote.GetDatabase().StringSetAsync(ClockStore.Key, "{}", when: When.NotExists);
        await quote.GetDatabase().StringSetAsync(ClockStore.RequestPrefix + "x", "1");
        await quote.GetDatabase().PublishAsync(ClockStore.Changes, "2");

        Assert.Equal("{}", (string?)await transport.GetDatabase().StringGetAsync(ClockStore.Key));
        Assert.Equal("2", await heard.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>Commands no service's user may run: another service's keys, and whatever reaches past its own.</summary>
    private static readonly string[][] Forbidden =
    [
        ["SET", "clocks", "x"],
        ["SET", "clock-2", "x"],
        ["FLUSHALL"],
        ["KEYS", "*"],
        ["CONFIG", "SET", "appendonly", "no"],
        ["ACL", "LIST"],
        ["FUNCTION", "FLUSH"],
        ["SHUTDOWN"],
        // Listing, counting or sampling the whole keyspace and its channels (an audit read every
        // service's keys, with dealer and request ids in their names), and other databases.
        ["SCAN", "0"],
        ["SCAN", "0", "MATCH", "*", "COUNT", "1000"],
        ["RANDOMKEY"],
        ["DBSIZE"],
        ["PUBSUB", "CHANNELS", "*"],
        ["PUBSUB", "NUMSUB", "quote:remarketing"],
        ["PUBSUB", "NUMPAT"],
        ["PUBSUB", "SHARDCHANNELS"],
        ["SELECT", "1"],
    ];

    public static TheoryData<string, string[]> EachUserAndForbiddenCommand()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var user in RedisAccess.ServiceUsers)
        {
            foreach (var command in Forbidden)
                data.Add(user, command);
            // Another service's key and channel.
            var other = RedisAccess.ServiceUsers.First(candidate => candidate != user);
            data.Add(user, ["GET", $"{other}:account:A-1"]);
            data.Add(user, ["PUBLISH", $"{other}:remarketing", "x"]);
            data.Add(user, ["SPUBLISH", $"{other}:{{{other}}}:changes", "x"]);
            data.Add(user, ["MOVE", $"{user}:moved", "1"]);
            data.Add(user, ["COPY", $"{user}:x", $"{user}:y", "DB", "1"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EachUserAndForbiddenCommand))]
    public async Task AServicesUser_IsRefusedAnotherServicesKeysAndEveryServerWideCommand(string user, string[] command)
    {
        // The client would refuse admin commands itself: let it send them, so Redis is what refuses.
        var options = _redis.OptionsFor(user);
        options.AllowAdmin = true;
        options.CommandMap = CommandMap.Default;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options);

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => connection.GetDatabase().ExecuteAsync(command[0], command[1..].Cast<object>().ToArray()));

        Assert.StartsWith("NOPERM", refused.Message);
    }

    [Theory]
    [MemberData(nameof(EachUser))]
    public async Task AServicesUser_StillUsesDatabaseZero_AndReadsWhatItsHealthCheckReads(string user)
    {
        await using var connection = await ConnectAsync(user);

        var selected = await connection.GetDatabase().ExecuteAsync("SELECT", "0");
        var info = (string?)await connection.GetDatabase().ExecuteAsync("INFO", "server", "persistence", "stats");

        Assert.Equal("OK", (string?)selected);
        Assert.Contains("aof_enabled:", info);
    }

    [Theory]
    [MemberData(nameof(EachUser))]
    public async Task AScript_CannotListTheKeyspaceEither(string user)
    {
        await using var connection = await ConnectAsync(user);

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => connection.GetDatabase().ScriptEvaluateAsync("return redis.call('SCAN', '0')"));

        Assert.Contains("can't run this command", refused.Message);
    }

    public static TheoryData<string> EachUser() => [.. RedisAccess.ServiceUsers];

    [Fact]
    public async Task AScript_CannotReachAnotherServicesKeys()
    {
        await using var auction = await ConnectAsync("auction");

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => auction.GetDatabase().ScriptEvaluateAsync("return redis.call('GET', KEYS[1])", ["quote:account:A-1"]));

        Assert.StartsWith("NOPERM", refused.Message);
    }

    [Fact]
    public async Task WithoutAPassword_NothingIsServed()
    {
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync(_redis.Address + ",abortConnect=false,connectTimeout=1000");

        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().StringGetAsync("auction:x"));
    }

    private Task<ConnectionMultiplexer> ConnectAsync(string user) =>
        ConnectionMultiplexer.ConnectAsync(_redis.OptionsFor(user));
}
