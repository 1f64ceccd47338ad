using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The local Redis Cluster the tests (REMARKETING_REDIS=cluster) and ./run.sh --redis-cluster run
/// on: what it refuses is what the key layout is for, and a service's own user works on it.
/// </summary>
[Trait("Category", "System")]
public sealed class RedisClusterTests(RedisClusterTests.Cluster cluster) : IClassFixture<RedisClusterTests.Cluster>
{
    private readonly RedisServer _cluster = cluster.Server;

    /// <summary>One cluster for the class: six nodes are a lot to start on a small machine for each test.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public RedisServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await RedisServer.StartClusterAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [Fact]
    public async Task ThreePrimariesWithAReplicaEach_ShippedConfiguration_AndATransactionAcrossServicesIsRefused()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_cluster.Configuration + ",allowAdmin=true");
        var servers = admin.GetServers();
        var persistence = await servers[0].ConfigGetAsync("appendfsync");
        var database = admin.GetDatabase();

        // What a Quote change was before its keys shared a slot: a record and the outbox beside it.
        var acrossSlots = database.CreateTransaction();
        _ = acrossSlots.StringSetAsync("quote:account:A-1", "{}");
        _ = acrossSlots.StreamAddAsync("quote:{outbox}", "id", "h-1");
        // Refused by the client, which knows the cluster's slots, before Redis would (CROSSSLOT).
        var refused = await Assert.ThrowsAsync<RedisCommandException>(() => acrossSlots.ExecuteAsync());
        var oneSlot = database.CreateTransaction();
        _ = oneSlot.StringSetAsync("quote:{quote}:account:A-1", "{}");
        _ = oneSlot.StreamAddAsync(new Remarketing.ServiceDefaults.HandOffs.Outbox("quote").Pending, "id", "h-1");
        var committed = await oneSlot.ExecuteAsync();

        Assert.Equal((3, 3), (servers.Count(server => !server.IsReplica), servers.Count(server => server.IsReplica)));
        Assert.Equal("always", Assert.Single(persistence).Value);
        Assert.StartsWith("Multi-key operations must involve a single slot", refused.Message, StringComparison.Ordinal);
        Assert.True(committed);
    }

    [Fact]
    public async Task AServicesOwnUser_FindsTheClusterAndWritesAcrossShards_InItsOwnKeysOnly()
    {
        await using var auction = await ConnectionMultiplexer.ConnectAsync(_cluster.OptionsFor("auction"));
        var database = auction.GetDatabase();
        // Listings spread over the shards: each listing's keys are one slot, wherever it is.
        var listings = Enumerable.Range(1, 30).Select(i => $"auction:{{listing:L-{i}}}:state").ToList();
        foreach (var listing in listings)
            await database.ScriptEvaluateAsync("return redis.call('HSET', KEYS[1], 'status', ARGV[1])", [listing], ["live"]);
        var shards = listings.Select(listing => auction.GetServer(auction.GetEndPoints().First()).ClusterConfiguration!.GetBySlot(listing)!.EndPoint).Distinct().Count();
        var notItsOwn = await Assert.ThrowsAnyAsync<RedisException>(() => database.StringSetAsync("quote:{quote}:x", "1"));

        Assert.Equal(3, shards);
        Assert.Equal("live", (string?)await database.HashGetAsync(listings[^1], "status"));
        Assert.Contains("NOPERM", notItsOwn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesWaitingForAReplica_ShareWaits_AndEachIsOnTheReplicaWhenItsWaitEnds()
    {
        await using var auction = await ConnectionMultiplexer.ConnectAsync(_cluster.OptionsFor("auction"));
        var acknowledgement = new Remarketing.ServiceDefaults.Redis.WriteAcknowledgement(auction,
            Microsoft.Extensions.Options.Options.Create(new Remarketing.ServiceDefaults.Redis.RedisOptions { ReplicasToAcknowledge = 1 }));
        var database = auction.GetDatabase();
        const string listing = "auction:{listing:L-WAIT}:state";

        await Task.WhenAll(Enumerable.Range(1, 200).Select(async i =>
        {
            await database.HashSetAsync(listing, $"f{i}", i);
            await acknowledgement.CopiedAsync(listing);
        }));
        // Read from the slot's replica (StackExchange.Redis asks it READONLY): what a failover would promote.
        var onTheReplica = await database.HashLengthAsync(listing, CommandFlags.DemandReplica);

        Assert.Equal(200, onTheReplica);
        Assert.InRange(acknowledgement.WaitsSent, 1, 199);
    }
}
