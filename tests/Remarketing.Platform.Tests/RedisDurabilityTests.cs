using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>
/// Redis as we ship it (deploy/redis/redis.conf, the key ring's ACL file, started by the script
/// run.sh uses) keeps every acknowledged write across a SIGKILL, and refuses to start rather
/// than start with part of its data.
/// </summary>
[Trait("Category", "System")]
public sealed class RedisDurabilityTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartLocalAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task ATransactionAndAScriptWithSeveralWrites_SurviveAKilledRedis_AsAServicesUser()
    {
        // The ten-line repro of redis/redis#14541: Redis 7.0-7.2 replay a MULTI/EXEC block of the
        // append-only file as the default user; with "user default off" and no rights, the block
        // was refused and Redis started without it.
        await using (var quote = await ConnectionMultiplexer.ConnectAsync(_redis.OptionsFor("quote")))
        {
            var database = quote.GetDatabase();
            var transaction = database.CreateTransaction();
            _ = transaction.StringSetAsync("quote:a", "1");
            _ = transaction.StringIncrementAsync("quote:b", 2);
            Assert.True(await transaction.ExecuteAsync());
            // A script with two writes is logged as MULTI/EXEC too.
            await database.ScriptEvaluateAsync("redis.call('SET', KEYS[1], '4'); redis.call('SET', KEYS[2], '5')", ["quote:d", "quote:e"]);
            await database.StringSetAsync("quote:c", "3");
        }

        await _redis.KillAsync();
        await _redis.StartAgainAsync();

        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var values = await admin.GetDatabase().StringGetAsync(["quote:a", "quote:b", "quote:c", "quote:d", "quote:e"]);
        Assert.Equal(["1", "2", "3", "4", "5"], values.Select(value => (string?)value));
        Assert.DoesNotContain("NOPERM", _redis.Log);
    }

    [Fact]
    public async Task AReplayThatFails_StopsRedisAtStart_InsteadOfStartingWithPartOfItsData()
    {
        await using (var quote = await ConnectionMultiplexer.ConnectAsync(_redis.OptionsFor("quote")))
        {
            var transaction = quote.GetDatabase().CreateTransaction();
            _ = transaction.StringSetAsync("quote:a", "1");
            _ = transaction.StringIncrementAsync("quote:b", 2);
            Assert.True(await transaction.ExecuteAsync());
        }
        await _redis.KillAsync();
        // The ACL file as it was before the fix: the default user off, without rights.
        var aclFile = Path.Combine(_redis.KeysDirectory, RedisAccess.AclFile);
        await File.WriteAllLinesAsync(aclFile, (await File.ReadAllLinesAsync(aclFile)).Select(line => line == RedisAccess.DefaultUser ? "user default off" : line));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(_redis.StartAgainAsync);

        Assert.Contains("exited at start", refused.Message);
        Assert.Contains("panicked sending an error to its AOF-loading-client", _redis.Log);
    }

    [Theory]
    [InlineData("AUTH x")]
    [InlineData("AUTH default x")]
    [InlineData("AUTH default \"\"")]
    [InlineData("HELLO 3 AUTH default x")]
    [InlineData("GET quote:a")]
    public async Task TheDefaultUser_HoldsTheReplaysRights_ButNobodyCanLogInAsIt(string command)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, int.Parse(_redis.Address.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
        var reply = new byte[256];
        var read = await stream.ReadAsync(reply);

        Assert.Matches("^-(WRONGPASS|NOAUTH)", System.Text.Encoding.ASCII.GetString(reply, 0, read));
    }

    [Fact]
    public async Task TheShippedRedis_FsyncsBeforeEveryAnswer_AndStopsOnAReplayItCannotFinish()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration + ",allowAdmin=true");
        var server = admin.GetServers()[0];

        var settings = (await server.ConfigGetAsync("*")).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

        Assert.Equal(
            ("yes", "always", "no", "panic", ""),
            (settings["appendonly"], settings["appendfsync"], settings["no-appendfsync-on-rewrite"], settings["propagation-error-behavior"], settings["save"]));
    }

    [Fact]
    public void RunShAndCompose_StartRedisWithTheOneConfiguration()
    {
        var runSh = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "run.sh"));
        var compose = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docker-compose.yml"));

        Assert.Contains("start redis deploy/redis/start.sh", runSh);
        Assert.DoesNotContain("redis-server", runSh.Replace("ensure_redis_server", "", StringComparison.Ordinal));
        Assert.Contains("./deploy/redis/redis.conf:/etc/remarketing/redis.conf:ro", compose);
        Assert.Contains("command: [\"redis-server\", \"/etc/remarketing/redis.conf\", \"--aclfile\", \"/keys/redis-users.acl\"]", compose);
    }
}
