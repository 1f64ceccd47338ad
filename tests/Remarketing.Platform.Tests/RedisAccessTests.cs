using Remarketing.ServiceDefaults.Clock;
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
        await auction.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Remarketing.Auction.Engine.AuctionKeys.EventsChannel), (_, message) => received.TrySetResult(message!));
        await database.PublishAsync(RedisChannel.Literal(Remarketing.Auction.Engine.AuctionKeys.EventsChannel), "L-1 1 1");

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

    [Theory]
    [InlineData("GET", "quote:account:A-1")]
    [InlineData("SET", "clocks", "x")]
    [InlineData("SET", "clock-2", "x")]
    [InlineData("FLUSHALL")]
    [InlineData("KEYS", "*")]
    [InlineData("CONFIG", "SET", "appendonly", "no")]
    [InlineData("ACL", "LIST")]
    [InlineData("FUNCTION", "FLUSH")]
    [InlineData("PUBLISH", "quote:remarketing", "x")]
    [InlineData("SHUTDOWN")]
    public async Task AServicesUser_IsRefusedAnotherServicesKeysAndEveryServerWideCommand(string command, params string[] arguments)
    {
        // The client would refuse admin commands itself: let it send them, so Redis is what refuses.
        var options = _redis.OptionsFor("auction");
        options.AllowAdmin = true;
        options.CommandMap = CommandMap.Default;
        await using var auction = await ConnectionMultiplexer.ConnectAsync(options);

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => auction.GetDatabase().ExecuteAsync(command, arguments.Cast<object>().ToArray()));

        Assert.StartsWith("NOPERM", refused.Message);
    }

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
