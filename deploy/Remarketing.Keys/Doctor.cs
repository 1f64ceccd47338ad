using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Inspection;
using Remarketing.Quote;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Invariants;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.Transport;
using StackExchange.Redis;

namespace Remarketing.Keys;

/// <summary>
/// The operator's look at a running system's data, as Redis' admin: Redis' persistence, each
/// service's hand-offs, and every service's invariants (the checks the services run on a timer),
/// with every listing in Redis looked at, not only those the indexes name. Changes nothing.
/// </summary>
public static class Doctor
{
    /// <summary>What the doctor found: Redis' persistence, each service's hand-offs (pending, failed), and every confirmed breach by check.</summary>
    public sealed record Findings(
        HealthCheckResult Persistence, IReadOnlyDictionary<string, (long Pending, long Failed)> HandOffs, InvariantMonitor.Result Invariants)
    {
        /// <summary>Things a person must look at: unsound persistence, failed hand-offs, breaches.</summary>
        public int Problems => (Persistence.Status == HealthStatus.Healthy ? 0 : 1) + HandOffs.Values.Count(counts => counts.Failed > 0) + Invariants.Count;
    }

    /// <summary>Prints the findings; 0 when all is well, 1 when anything needs a person.</summary>
    public static async Task<int> RunAsync(string keysDirectory, string redisAddress, TextWriter output)
    {
        var options = RedisAccess.OptionsFor(redisAddress, RedisAccess.Admin, RedisAccess.ReadPassword(keysDirectory, RedisAccess.Admin));
        ConnectionMultiplexer redis;
        try
        {
            redis = await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException exception)
        {
            output.WriteLine($"Redis at {redisAddress} does not answer ({exception.FailureType}): is the system running (./run.sh)?");
            return 2;
        }

        await using var connected = redis;
        var findings = await ExamineAsync(redis);

        output.WriteLine($"Redis {redisAddress}: {findings.Persistence.Description}");
        output.WriteLine("hand-offs: " + string.Join("; ", findings.HandOffs.Select(pair => $"{pair.Key} {pair.Value.Pending} pending, {pair.Value.Failed} failed")));
        foreach (var (check, breaches) in findings.Invariants.Breaches)
        {
            output.WriteLine(breaches.Count == 0 ? $"{check}: no breach" : $"{check}: {breaches.Count} breaches");
            foreach (var breach in breaches)
                output.WriteLine($"  {breach}");
        }
        output.WriteLine(findings.Problems == 0 ? "doctor: all is well" : string.Create(CultureInfo.InvariantCulture, $"doctor: {findings.Problems} things need a person"));
        return findings.Problems == 0 ? 0 : 1;
    }

    /// <summary>Looks at the data through <paramref name="admin"/>, a connection as Redis' admin; changes nothing.</summary>
    public static async Task<Findings> ExamineAsync(IConnectionMultiplexer admin)
    {
        var persistence = await new RedisPersistenceHealthCheck(admin).CheckHealthAsync(new());
        var database = admin.GetDatabase();
        var handOffs = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var service in RedisAccess.ServiceUsers)
        {
            using var outbox = new Outbox(service);
            handOffs[service] = (await database.StreamLengthAsync(outbox.Pending), await database.StreamLengthAsync(outbox.Failed));
        }

        IInvariantCheck[] checks =
        [
            new EveryListing(admin),
            new ScheduleInvariants(admin, new QuoteStore(admin, new Outbox("quote"))),
            new Remarketing.Inspection.OrderInvariants(admin, new InspectionStore(admin, new Outbox("inspection"))),
            new Remarketing.Transport.OrderInvariants(admin, new TransportStore(admin, new Outbox("transport"))),
        ];
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var monitor = new InvariantMonitor(checks, Options.Create(new InvariantOptions()), meters.GetRequiredService<IMeterFactory>(), NullLogger<InvariantMonitor>.Instance);
        return new Findings(persistence, handOffs, await monitor.RunOnceAsync(CancellationToken.None));
    }

    /// <summary>Every listing whose state Redis holds, found by scanning (the admin may): also those no index names any more.</summary>
    private sealed class EveryListing(IConnectionMultiplexer redis) : IInvariantCheck
    {
        private readonly ListingInvariants _listings = new(redis);

        public string Name => "listings (every one in Redis)";

        public async Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            foreach (var server in redis.GetServers().Where(server => !server.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: AuctionKeys.State("*"), pageSize: 1000))
                    ids.Add(AuctionKeys.ListingIdOfState(key!));
            }
            return await _listings.CheckAsync(ids);
        }

        public Task<IReadOnlyList<Breach>> Recheck(IReadOnlyList<Breach> suspects, CancellationToken cancellationToken) =>
            _listings.Recheck(suspects, cancellationToken);
    }
}
