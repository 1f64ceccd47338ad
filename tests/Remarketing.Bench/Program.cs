using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Remarketing.Auction;
using Remarketing.Auction.Engine;
using Remarketing.Bench;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

// The Auction benchmark, against a system started with ./run.sh (see docs/benchmarks.md), each
// workload raw on Redis, direct to the Auction service, through the gateway and through HAProxy
// in front of the same service (the peer, started here).
var (parsedSettings, exitCode) = BenchSettings.FromCommandLine(args);
if (parsedSettings is not { } settings)
    return exitCode;
var runs = new List<List<(string Measure, string Value, string Note)>>();
// A fan-out in which some watcher missed an event: its system's logs are kept, to say why.
var watchersMissedEvents = false;
try
{
    if (settings.Repeat == 0)
        runs.Add(await MeasureAsync(settings));
    for (var run = 1; run <= settings.Repeat; run++)
    {
        var rows = new List<(string Measure, string Value, string Note)>();
        foreach (var part in PartsOnFreshSystems(settings))
        {
            Console.Error.WriteLine($"bench: run {run} of {settings.Repeat}, {string.Join(", ", part.Phases)}{(part.Phases.Contains("fanout") ? $" {part.Watchers[0]:N0}" : "")}: ./run.sh --no-sim, fresh");
            await using var system = await FreshSystem.StartAsync(TimeSpan.FromMinutes(5));
            watchersMissedEvents = false;
            rows.AddRange(await MeasureAsync(part with { Redis = $"127.0.0.1:{system.RedisPort}", Keys = system.Keys, HalfLoadThroughPeerFirst = run % 2 == 0 }));
            if (watchersMissedEvents)
                Console.Error.WriteLine("bench: some watcher missed events; the system's logs say why");
            else
                system.Measured();
        }
        runs.Add(rows);
    }
}
catch (BenchUnavailableException unavailable)
{
    Console.Error.WriteLine(unavailable.Message);
    return 2;
}

// One run: its figures. Several: each figure's median and range over the runs.
var table = runs[0].Select((row, index) => (row.Measure,
    Value: RepeatedRuns.Combine([.. runs.Select(run => run[index].Value)]),
    Note: RepeatedRuns.Combine([.. runs.Select(run => run[index].Note)]))).ToList();
if (runs.Count > 1)
    Console.WriteLine($"{runs.Count} runs, each on a freshly started system: every figure is the median (min–max) over them.\n");

var width = table.Max(row => row.Measure.Length);
var valueWidth = table.Max(row => row.Value.Length);
Console.WriteLine($"| {"measure".PadRight(width)} | {"result".PadRight(valueWidth)} | notes |");
Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', valueWidth + 2)}|---|");
foreach (var (measure, value, note) in table)
    Console.WriteLine($"| {measure.PadRight(width)} | {value.PadRight(valueWidth)} | {note} |");
return 0;

// What one repetition runs, each part on a system of its own: the placement phases together, then
// each fan-out size and the many-listing phase apart, so memory per stream is read on a process
// that has carried nothing before it (one that ran more keeps the heap it grew for that).
static IEnumerable<BenchSettings> PartsOnFreshSystems(BenchSettings settings)
{
    var placement = settings.Phases.Intersect(["unary", "fsync", "stream"]).ToHashSet();
    if (placement.Count > 0)
        yield return settings with { Phases = placement };
    foreach (var watchers in settings.Phases.Contains("fanout") ? settings.Watchers : [])
        yield return settings with { Phases = new HashSet<string> { "fanout" }, Watchers = [watchers] };
    if (settings.Phases.Contains("many"))
        yield return settings with { Phases = new HashSet<string> { "many" } };
}

async Task<List<(string Measure, string Value, string Note)>> MeasureAsync(BenchSettings settings)
{
    var table = new List<(string Measure, string Value, string Note)>();
    // Where rows go as they are measured: the table, or a part of it measured out of its order.
    var rowsGoTo = table;
    void Row(string measure, string value, string note = "")
    {
        rowsGoTo.Add((measure, value, note));
        Console.Error.WriteLine($"  {measure}: {value} {note}");
    }

    // As the Auction service's own Redis user: the bench touches only the Auction's keys.
    if (!File.Exists(Path.Combine(settings.Keys, "redis-auction.password")))
    {
        throw new BenchUnavailableException($"bench: no system keys in {settings.Keys}: start the system first (./run.sh --no-sim), or give --keys (or --repeat N)");
    }
    ConnectionMultiplexer redis;
    try
    {
        redis = await ConnectionMultiplexer.ConnectAsync(RedisAccess.OptionsForService(settings.Redis, settings.Keys, "auction"));
    }
    catch (RedisConnectionException)
    {
        throw new BenchUnavailableException($"bench: Redis does not answer at {settings.Redis}: start the system first (./run.sh --no-sim), or give --redis (or --repeat N)");
    }
    await using var redisConnection = redis;
    var keys = KeyRing.Load(settings.Keys);
    var auctionOptions = Options.Create(new AuctionOptions());
    using var outbox = new Outbox("auction");
    var engine = new AuctionEngine(redis, TimeProvider.System, auctionOptions, new ListingHandOffs(outbox, auctionOptions));
    var bench = new BenchRun(settings, redis, engine, keys);

    // A half-load phase again with the runtimes of the processes watched (rows (t)) and its slow bids
    // lined up with what they did (row (t')); the proxy's runtime is watched when it is one of them.
    async Task ObserveHalfLoadAsync(string label, string through, string phase, GrpcChannel channel, IReadOnlyList<Grpc.Core.Metadata> callers, IReadOnlyList<int> proxy,
        double rate, Dictionary<string, int> processes)
    {
        RuntimeCounters? watched = null;
        var observed = await bench.PlaceBidsAsync(phase, channel, callers, proxy, rate, hot: false, keepTimes: true,
            beforeClock: async () =>
            {
                await bench.SettleRedisAsync();
                watched = await RuntimeCounters.StartAsync(processes, TimeSpan.FromSeconds(settings.Seconds + 3), proxy[0], settings.Auction.Port);
            });
        Row($"{label} {through} at the same rate, watched", $"{observed.PerSecond:N0} bids/s", observed.Latency);
        var timelines = await watched!.ReadAsync("gateway");
        foreach (var (name, timeline) in timelines)
        {
            Row($"(t) the {name}'s runtime during {label}", timeline.Summary(observed.PerSecond));
            if (timeline.Gc is { } gc)
                Row($"(t) the {name}'s pauses during {label}, traced", gc.Summary(), $"allocated most (sampled every 100 KB): {gc.TopAllocations(6)}");
        }
        if (timelines.Count > 0)
            Row($"(t') bids slower than 2 x p50 during {label}", TailCauses.Describe(observed, timelines));
    }

    Console.Error.WriteLine($"bench: {settings.Listings:N0} listings per phase, {settings.Concurrency} calls in flight, {settings.Seconds} s per phase, " +
        $"watchers {string.Join(", ", settings.Watchers)}, peer {settings.Peer}, load {File.ReadAllText("/proc/loadavg").Trim()}");
    using var peer = settings.Peer == "haproxy" ? await HaproxyPeer.StartAsync(settings.Auction) : null;
    try
    {
        // Callers' own tokens through the gateway; straight at the service (and through the peer,
        // which checks nothing), what the gateway forwards for them.
        var tokens = bench.BuyerTokens(settings.Dealers, Signers.Identity);
        var forwarded = bench.BuyerTokens(settings.Dealers, Signers.Gateway);
        var directChannel = GrpcChannel.ForAddress(settings.Auction, BenchRun.ChannelOptions());
        var gatewayChannel = GrpcChannel.ForAddress(settings.Gateway, BenchRun.ChannelOptions());
        var peerChannel = peer is null ? null : GrpcChannel.ForAddress(peer.Address, BenchRun.ChannelOptions());
        var gatewayProcessIds = ProcessMemory.ProcessIds("Remarketing.Gateway");
        IReadOnlyList<int> peerProcessIds = peer is null ? [] : [peer.ProcessId];

        // Unmeasured bids down every path first: a service just started runs its first seconds on
        // unoptimized code (tiered JIT), at half its rate or less, and that is not what is measured.
        // On a schedule too, through the gateway and HAProxy alike: the half-load phases are the
        // bench's first of that kind, and the gateway's, which came first, was the slower one
        // unwatched in every set of runs, and not when run again right after.
        const double WarmUpRate = 1_000;
        if (settings.WarmUpSeconds > 0)
        {
            var warmUp = TimeSpan.FromSeconds(settings.WarmUpSeconds);
            await bench.PlaceBidsAsync("WD", directChannel, forwarded, [], rate: 0, hot: false, warmUp);
            await bench.PlaceBidsAsync("WG", gatewayChannel, tokens, gatewayProcessIds, rate: 0, hot: false, warmUp);
            await bench.PlaceBidsAsync("WS", gatewayChannel, tokens, gatewayProcessIds, rate: WarmUpRate, hot: false, warmUp);
            if (peerChannel is not null)
            {
                await bench.PlaceBidsAsync("WP", peerChannel, forwarded, peerProcessIds, rate: 0, hot: false, warmUp);
                await bench.PlaceBidsAsync("WT", peerChannel, forwarded, peerProcessIds, rate: WarmUpRate, hot: false, warmUp);
            }
            Console.Error.WriteLine($"  warmed up: {settings.WarmUpSeconds} s of bids direct, through the gateway{(peerChannel is null ? "" : " and through HAProxy")}, " +
                $"as fast as they go and {WarmUpRate:N0} a second");
        }

        var gateway = new Throughput(double.NaN, double.NaN, double.NaN, double.NaN, new CpuShare(0, 0, 0, 0));
        if (settings.Phases.Contains("unary"))
        {
            // One hot listing, random dealers and amounts: after the first few bids most are refused
            // below the minimum, but every call runs the whole script and stores its answer.
            var raw = await bench.RedisBenchmarkAsync();
            Row("(a) raw, one hot listing: redis-benchmark EVALSHA", $"{raw.PerSecond:N0} bids/s", $"{raw.Accepted:P1} accepted");
            var hotDirect = await bench.PlaceBidsAsync("HD", directChannel, forwarded, [], rate: 0, hot: true);
            Row("(b) PlaceBid direct, one hot listing", $"{hotDirect.PerSecond:N0} bids/s", $"p50 {hotDirect.P50:F2} ms, p99 {hotDirect.P99:F2} ms; {hotDirect.CpuPerCall}");
            var hotGateway = await bench.PlaceBidsAsync("HG", gatewayChannel, tokens, gatewayProcessIds, rate: 0, hot: true);
            Row("(c) PlaceBid through the gateway, one hot listing", $"{hotGateway.PerSecond:N0} bids/s", $"p50 {hotGateway.P50:F2} ms, p99 {hotGateway.P99:F2} ms; {hotGateway.CpuPerCall}");
            Row("ratio (b)/(a)", Ratio(hotDirect.PerSecond, raw.PerSecond), "target >= 0.5");
            Row("ratio (c)/(b)", Ratio(hotGateway.PerSecond, hotDirect.PerSecond), "target >= 0.6");
            if (peerChannel is not null)
            {
                var hotPeer = await bench.PlaceBidsAsync("HP", peerChannel, forwarded, peerProcessIds, rate: 0, hot: true);
                Row("(p) PlaceBid through HAProxy, one hot listing", $"{hotPeer.PerSecond:N0} bids/s", $"p50 {hotPeer.P50:F2} ms, p99 {hotPeer.P99:F2} ms; {hotPeer.CpuPerCall}");
                Row("ratio (c)/(p), gateway/HAProxy", Ratio(hotGateway.PerSecond, hotPeer.PerSecond), "target >= 1");
            }

            // Many fresh listings: nearly every bid is a first or second bid and is accepted (log append, publish).
            var rawAccepted = await bench.RawScriptAsync("RA");
            Row("(a2) raw, accepted bids: EVALSHA from one client", $"{rawAccepted.PerSecond:N0} bids/s", $"p50 {rawAccepted.P50:F2} ms, p99 {rawAccepted.P99:F2} ms, {rawAccepted.Accepted:P0} accepted; {rawAccepted.CpuPerCall}");
            var direct = await bench.PlaceBidsAsync("AD", directChannel, forwarded, [], rate: 0, hot: false);
            Row("(b2) PlaceBid direct, accepted bids", $"{direct.PerSecond:N0} bids/s", $"p50 {direct.P50:F2} ms, p99 {direct.P99:F2} ms, {direct.Accepted:P0} accepted; {direct.CpuPerCall}");
            gateway = await bench.PlaceBidsAsync("AG", gatewayChannel, tokens, gatewayProcessIds, rate: 0, hot: false);
            Row("(c2) PlaceBid through the gateway, accepted bids", $"{gateway.PerSecond:N0} bids/s", $"p50 {gateway.P50:F2} ms, p99 {gateway.P99:F2} ms, {gateway.Accepted:P0} accepted; {gateway.CpuPerCall}");
            Throughput? viaPeer = null;
            var gatewayHalfLoad = new List<(string Measure, string Value, string Note)>();
            var peerPart = new List<(string Measure, string Value, string Note)>();
            if (peerChannel is not null)
            {
                rowsGoTo = peerPart;
                viaPeer = await bench.PlaceBidsAsync("AP", peerChannel, forwarded, peerProcessIds, rate: 0, hot: false);
                Row("(p2) PlaceBid through HAProxy, accepted bids", $"{viaPeer.PerSecond:N0} bids/s", $"p50 {viaPeer.P50:F2} ms, p99 {viaPeer.P99:F2} ms, {viaPeer.Accepted:P0} accepted; {viaPeer.CpuPerCall}");
            }

            // The half-load phases, each unwatched and then watched, through the gateway and through
            // HAProxy: which path goes first alternates from run to run (--repeat), since whatever
            // runs first after the saturated phases, or right after the collectors, meets what they
            // left behind. Their rows keep their places in the table.
            var auctionProcessId = ProcessMemory.ProcessIds("Remarketing.Auction")[0];
            async Task GatewayHalfLoadAsync()
            {
                rowsGoTo = gatewayHalfLoad;
                var half = await bench.PlaceBidsAsync("AH", gatewayChannel, tokens, gatewayProcessIds, rate: gateway.PerSecond / 2, hot: false, beforeClock: bench.SettleRedisAsync);
                Row("(c2') the gateway at half of (c2)'s rate", $"{half.PerSecond:N0} bids/s", $"{half.Latency} (target p99 <= 10 ms)");
                // The same again, watched: the collectors cost CPU on the same cores, so the p99s above are taken unwatched.
                await ObserveHalfLoadAsync("(c2'')", "the gateway", "AO", gatewayChannel, tokens, gatewayProcessIds, gateway.PerSecond / 2,
                    new Dictionary<string, int> { ["gateway"] = gatewayProcessIds[0], ["auction"] = auctionProcessId, ["bench"] = Environment.ProcessId });
            }

            async Task PeerHalfLoadAsync(GrpcChannel peerChannel)
            {
                rowsGoTo = peerPart;
                var peerHalf = await bench.PlaceBidsAsync("PH", peerChannel, forwarded, peerProcessIds, rate: gateway.PerSecond / 2, hot: false, beforeClock: bench.SettleRedisAsync);
                Row("(p2') HAProxy at the same rate as (c2')", $"{peerHalf.PerSecond:N0} bids/s", peerHalf.Latency);
                await ObserveHalfLoadAsync("(p2'')", "HAProxy", "PO", peerChannel, forwarded, peerProcessIds, gateway.PerSecond / 2,
                    new Dictionary<string, int> { ["auction"] = auctionProcessId, ["bench"] = Environment.ProcessId });
            }

            rowsGoTo = table;
            if (peerChannel is not null)
                Row("the half-load phases ran", settings.HalfLoadThroughPeerFirst ? "through HAProxy first" : "through the gateway first");
            if (peerChannel is not null && settings.HalfLoadThroughPeerFirst)
                await PeerHalfLoadAsync(peerChannel);
            await GatewayHalfLoadAsync();
            if (peerChannel is not null && !settings.HalfLoadThroughPeerFirst)
                await PeerHalfLoadAsync(peerChannel);

            rowsGoTo = table;
            table.AddRange(gatewayHalfLoad);
            Row("ratio (b2)/(a2)", Ratio(direct.PerSecond, rawAccepted.PerSecond), "target >= 0.5");
            Row("ratio (c2)/(b2)", Ratio(gateway.PerSecond, direct.PerSecond), "target >= 0.6");
            table.AddRange(peerPart);
            if (viaPeer is not null)
                Row("ratio (c2)/(p2), gateway/HAProxy", Ratio(gateway.PerSecond, viaPeer.PerSecond), "target >= 1");
        }

        if (settings.Phases.Contains("fsync"))
        {
            // The same accepted-bid phases under each appendfsync policy, switched on the running Redis
            // as its admin (CONFIG SET), then put back: what fsync before every answer costs.
            await using var admin = await BenchRun.ConnectAdminAsync(settings);
            var server = admin.GetServers()[0];
            var shipped = (await server.ConfigGetAsync("appendfsync")).Single().Value;
            try
            {
                double? halfRate = null;
                foreach (var policy in new[] { "everysec", "always" })
                {
                    await server.ConfigSetAsync("appendfsync", policy);
                    var raw = await bench.RawScriptAsync($"F{policy[0]}R");
                    Row($"(h) appendfsync {policy}: raw, accepted bids, EVALSHA from one client", $"{raw.PerSecond:N0} bids/s", $"p50 {raw.P50:F2} ms, p99 {raw.P99:F2} ms");
                    var full = await bench.PlaceBidsAsync($"F{policy[0]}G", gatewayChannel, tokens, gatewayProcessIds, rate: 0, hot: false);
                    Row($"(h) appendfsync {policy}: PlaceBid through the gateway, accepted bids", $"{full.PerSecond:N0} bids/s", $"p50 {full.P50:F2} ms, p99 {full.P99:F2} ms, {full.Accepted:P0} accepted; {full.CpuPerCall}");
                    halfRate ??= full.PerSecond / 2;
                    var half = await bench.PlaceBidsAsync($"F{policy[0]}H", gatewayChannel, tokens, gatewayProcessIds, rate: halfRate.Value, hot: false);
                    Row($"(h') appendfsync {policy}: the gateway at half of everysec's rate", $"{half.PerSecond:N0} bids/s", $"p50 {half.P50:F2} ms, p99 {half.P99:F2} ms");
                }
            }
            finally
            {
                await server.ConfigSetAsync("appendfsync", shipped);
            }
        }

        if (settings.Phases.Contains("stream"))
        {
            var stream = await bench.BidStreamsAsync("SG", gatewayChannel, tokens, gatewayProcessIds);
            Row("(f) BidStream through the gateway, accepted bids", $"{stream.PerSecond:N0} bids/s", $"p50 {stream.P50:F2} ms, p99 {stream.P99:F2} ms, {stream.Accepted:P0} accepted; {stream.CpuPerCall}");
            Row("ratio (f)/(c2), BidStream/unary", Ratio(stream.PerSecond, gateway.PerSecond), "target > 1");
        }

        var memoryNote = ProcessMemory.CanForceGc ? "RSS growth, each read after a forced GC" : "RSS growth, no forced GC: dotnet-gcdump could not be restored (dotnet tool restore)";
        foreach (var watchers in settings.Phases.Contains("fanout") ? settings.Watchers : [])
        {
            var fanOut = await bench.FanOutAsync(settings.Gateway, tokens, 1, watchers, () => ProcessMemory.ResidentAfterGcBytesAsync("Remarketing.Gateway"), gatewayProcessIds);
            watchersMissedEvents |= fanOut.Complete < watchers;
            Row($"(d) fan-out through the gateway: {watchers:N0} watchers, {settings.BidRate} bids/s", $"p50 {fanOut.P50:F1} ms, p99 {fanOut.P99:F1} ms",
                $"{fanOut.Complete:N0}/{watchers:N0} watchers got all {fanOut.Events} events (target p99 <= 50 ms); {fanOut.Cpu}");
            Row($"(e) memory per open stream, {watchers:N0} through the gateway", $"{fanOut.BytesPerStream / 1024.0:F1} KiB",
                $"gateway {fanOut.ProxyBytes / 1024.0 / watchers:F1} + auction {fanOut.AuctionBytes / 1024.0 / watchers:F1} KiB ({memoryNote}; target <= 32 KiB)");
            if (peer is not null)
            {
                var viaPeer = await bench.FanOutAsync(peer.Address, forwarded, 1, watchers, () => Task.FromResult(ProcessMemory.Resident(peer.ProcessId)), [peer.ProcessId]);
                watchersMissedEvents |= viaPeer.Complete < watchers;
                Row($"(dp) fan-out through HAProxy: {watchers:N0} watchers", $"p50 {viaPeer.P50:F1} ms, p99 {viaPeer.P99:F1} ms",
                    $"{viaPeer.Complete:N0}/{watchers:N0} watchers got all {viaPeer.Events} events; memory {viaPeer.BytesPerStream / 1024.0:F1} KiB per stream " +
                    $"(HAProxy {viaPeer.ProxyBytes / 1024.0 / watchers:F1} + auction {viaPeer.AuctionBytes / 1024.0 / watchers:F1}); {viaPeer.Cpu}");
            }

            // Straight to the service, nothing in front: what one hop of writes per watcher costs.
            var direct = await bench.FanOutAsync(settings.Auction, forwarded, 1, watchers, () => Task.FromResult(0L), []);
            watchersMissedEvents |= direct.Complete < watchers;
            Row($"(dd) fan-out direct to the Auction service: {watchers:N0} watchers", $"p50 {direct.P50:F1} ms, p99 {direct.P99:F1} ms",
                $"{direct.Complete:N0}/{watchers:N0} watchers got all {direct.Events} events; auction {direct.AuctionBytes / 1024.0 / watchers:F1} KiB per stream; {direct.Cpu}");
        }

        if (settings.Phases.Contains("many") && settings.ManyListings > 0 && settings.WatchersPerListing > 0)
        {
            var total = settings.ManyListings * settings.WatchersPerListing;
            var many = await bench.FanOutAsync(settings.Gateway, tokens, settings.ManyListings, settings.WatchersPerListing, () => ProcessMemory.ResidentAfterGcBytesAsync("Remarketing.Gateway"), gatewayProcessIds);
            Row($"(g) {settings.ManyListings} listings x {settings.WatchersPerListing} watchers through the gateway, {settings.BidRate} bids/s over all",
                $"p50 {many.P50:F1} ms, p99 {many.P99:F1} ms",
                $"{many.Complete:N0}/{total:N0} watchers got all {many.Events} events of their listing; {many.BytesPerStream / 1024.0:F1} KiB per stream; {many.Cpu}");
        }
    }
    finally
    {
        await bench.CleanUpAsync();
    }
    return table;
}

static string Ratio(double ours, double theirs) => $"{ours / theirs:F2}";

/// <summary>The system to measure cannot be reached: a message for the person running the bench, exit code 2.</summary>
sealed class BenchUnavailableException(string message) : Exception(message);
