using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Bench;

/// <summary>Each measurement of the table, against the running system and its Redis.</summary>
public sealed class BenchRun(BenchSettings settings, IConnectionMultiplexer redis, AuctionEngine engine, KeyRing keys)
{
    private const string Prefix = "BENCH-";

    /// <summary>Watch streams per connection of the raw client: under every server's limit of 1,000.</summary>
    private const int RawStreamsPerConnection = 500;

    /// <summary>Amounts on the hot listing are random cents below this ($100M, the engine's cap).</summary>
    private const long HotAmountRange = 10_000_000_000;

    public static GrpcChannelOptions ChannelOptions() => new()
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) },
    };

    /// <summary>The seeded listings and their vehicles, whose index entries and claims the clean-up removes.</summary>
    private readonly List<(string ListingId, string Vin)> _seeded = [];

    /// <summary>
    /// Fresh listings BENCH-&lt;phase&gt;-000000000000 ... with an opening price of 1 cent, copied
    /// from one listing the engine creates, so that most bids of a phase are first or second
    /// bids that the engine accepts (the full path: log append, publish) rather than refusals.
    /// Each is written whole, as the engine leaves a live listing: its own vehicle claimed, in the
    /// live and closing indexes (a live listing that is not takes no bid).
    /// </summary>
    private async Task SeedListingsAsync(string phase, int count)
    {
        var template = await engine.CreateListingAsync("bench", new NewListing(
            $"bench-template-{Guid.NewGuid():N}", UniqueVin(), "D-BENCH-GROUND", 0, 0, null, 2022, "Ford", "Escape", "SE", 30_000, 35, 1, "", ""));
        var database = redis.GetDatabase();
        var fields = await database.HashGetAllAsync(AuctionKeys.State(template.ListingId));
        await engine.CloseEarlyAsync("bench", template.ListingId, "bench-template", "benchmark template", withdraw: true);
        var opens = (long)fields.Single(field => field.Name == ListingSchema.Field.OpensAt).Value;
        var ends = (long)fields.Single(field => field.Name == ListingSchema.Field.EndsAt).Value;
        var claimedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = new List<Task>(count * 4);
        for (var i = 0; i < count; i++)
        {
            var id = ListingId(phase, i);
            var vin = UniqueVin();
            _seeded.Add((id, vin));
            batch.Add(database.StringSetAsync(AuctionKeys.VehicleClaim(vin), $"{id} {claimedAt}"));
            batch.Add(database.SortedSetAddAsync(AuctionKeys.Closing, id, ends));
            batch.Add(database.SortedSetAddAsync(AuctionKeys.Live, id, opens));
            batch.Add(database.HashSetAsync(AuctionKeys.State(id), [.. fields.Select(field => (string?)field.Name switch
            {
                ListingSchema.Field.ListingId => new HashEntry(field.Name, id),
                ListingSchema.Field.Vin => new HashEntry(field.Name, vin),
                _ => field,
            })]));
        }

        await Task.WhenAll(batch);
    }

    private static string ListingId(string phase, long i) => $"{Prefix}{phase}-{i:D12}";

    public async Task<(double PerSecond, double Accepted)> RedisBenchmarkAsync()
    {
        await SeedListingsAsync("A", count: 1);
        // The primary that holds the listing's slot: on Redis Cluster, not any node.
        var server = redis.GetServer((RedisKey)AuctionKeys.State(ListingId("A", 0)));
        var sha = Convert.ToHexStringLower((byte[])(await server.ScriptLoadAsync(AuctionScripts.PlaceBid))!);
        // redis-benchmark puts a new random number in every __rand_int__ (so the listing's keys stay fixed).
        var (keys, arguments) = engine.PlaceBidCall(ListingId("A", 0), "D-__rand_int__", "__rand_int__", "__rand_int__", 0);
        var endPoint = (System.Net.IPEndPoint)server.EndPoint;
        var commands = settings.Listings * 5;
        var start = new ProcessStartInfo("redis-benchmark")
        {
            ArgumentList = { "-h", endPoint.Address.ToString(), "-p", endPoint.Port.ToString(CultureInfo.InvariantCulture),
                "--user", "auction", "-a", RedisAccess.ReadPassword(settings.Keys, "auction"), "-n", commands.ToString(CultureInfo.InvariantCulture),
                "-c", "50", "-r", HotAmountRange.ToString(CultureInfo.InvariantCulture), "--csv", "EVALSHA", sha, keys.Length.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var key in keys)
            start.ArgumentList.Add(key.ToString());
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start (apt-get install redis-tools)");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // --csv: "test","rps","avg_latency_ms",...
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("\"EVALSHA", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"redis-benchmark printed no result: {output} {errors}");
        var perSecond = double.Parse(line.Split("\",\"")[1], CultureInfo.InvariantCulture);
        var events = await redis.GetDatabase().StreamLengthAsync(AuctionKeys.Events(ListingId("A", 0)));
        return (perSecond, (double)events / commands);
    }

    /// <summary>The placement script straight from one StackExchange.Redis client, accepted-bid workload: Redis' limit for it.</summary>
    public async Task<Throughput> RawScriptAsync(string phase)
    {
        await SeedListingsAsync(phase, settings.Listings);
        var database = redis.GetDatabase();
        var latencies = new Latencies();
        long accepted = 0;
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        var cpuAtStart = SystemCpu.Read([]);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency * 2).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref sent);
                var (keys, arguments) = engine.PlaceBidCall(ListingId(phase, Random.Shared.NextInt64(settings.Listings)), $"D-BENCH-{n % settings.Dealers}", $"{phase}-{n}", 1 + Random.Shared.NextInt64(settings.Listings - 1), 0);
                var began = Stopwatch.GetTimestamp();
                var placement = ScriptResults.Placement(await database.ScriptEvaluateAsync(AuctionScripts.PlaceBid, keys, arguments));
                latencies.Add(Stopwatch.GetTimestamp() - began);
                if (placement.Answer is { Accepted: true })
                    Interlocked.Increment(ref accepted);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        return new Throughput(latencies.Count / elapsed, latencies.PercentileMs(50), latencies.PercentileMs(99), (double)accepted / Math.Max(1, latencies.Count), cpuAtStart.Until(SystemCpu.Read([])));
    }

    /// <summary>Buying dealers' tokens signed by <paramref name="signer"/>: the identity key for the gateway, the gateway's key for the service itself.</summary>
    public IReadOnlyList<Metadata> BuyerTokens(int count, string signer) =>
        [.. Enumerable.Range(0, count).Select(i => Token($"D-BENCH-{i}", "buyer", signer))];

    /// <summary>
    /// Bids as fast as <see cref="BenchSettings.Concurrency"/> calls in flight allow (rate 0), or
    /// at a steady rate (latency from the scheduled send, so a stall counts in full).
    /// </summary>
    /// <param name="proxy">The processes of the proxy the calls go through (none: straight to the service), for the CPU they use.</param>
    /// <param name="keepTimes">Keep each answer's time and latency (<see cref="Throughput.Answered"/>), to line slow ones up with what the processes did.</param>
    /// <param name="beforeClock">Runs once the listings are seeded and the connections warm, just before the measured bids start.</param>
    public async Task<Throughput> PlaceBidsAsync(
        string phase, GrpcChannel channel, IReadOnlyList<Metadata> tokens, IReadOnlyList<int> proxy, double rate, bool hot, TimeSpan? duration = null,
        bool keepTimes = false, Func<Task>? beforeClock = null)
    {
        await SeedListingsAsync(phase, hot ? 1 : settings.Listings);
        var client = new AuctionService.AuctionServiceClient(channel);
        var latencies = new Latencies();
        long accepted = 0;
        long failed = 0;
        // Warm the connections up before the clock starts.
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(i =>
            client.GetListingAsync(new GetListingRequest { ListingId = ListingId(phase, 0) }, tokens[i % tokens.Count]).ResponseAsync));

        if (beforeClock is not null)
            await beforeClock();
        var phaseLength = duration ?? TimeSpan.FromSeconds(settings.Seconds);
        var persistenceAtStart = await PersistenceReading.ReadAsync(redis);
        var cpuAtStart = SystemCpu.Read(proxy);
        var answered = keepTimes ? new System.Collections.Concurrent.ConcurrentQueue<(long At, long Ticks)>() : null;
        var (wallAtStart, ticksAtStart) = (DateTime.Now, Stopwatch.GetTimestamp());
        var clock = Stopwatch.StartNew();
        async Task Bid(long n, long scheduledTicks)
        {
            var random = Random.Shared;
            var request = new PlaceBidRequest
            {
                ListingId = ListingId(phase, hot ? 0 : random.NextInt64(settings.Listings)),
                BidId = $"{phase}-{n}-{random.NextInt64()}",
                AmountCents = 1 + random.NextInt64((hot ? HotAmountRange : settings.Listings) - 1),
            };
            try
            {
                // Many dealers, so no one dealer meets the gateway's per-caller rate limit.
                var answer = await client.PlaceBidAsync(request, tokens[random.Next(tokens.Count)]);
                if (answer.Accepted)
                    Interlocked.Increment(ref accepted);
                var now = Stopwatch.GetTimestamp();
                latencies.Add(now - scheduledTicks);
                answered?.Enqueue((now, now - scheduledTicks));
            }
            catch (RpcException exception)
            {
                if (Interlocked.Increment(ref failed) == 1)
                    Console.Error.WriteLine($"  phase {phase}: {exception.Status}");
            }
        }

        if (rate <= 0)
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < phaseLength)
                    await Bid(0, Stopwatch.GetTimestamp());
            })));
        }
        else
        {
            // Lanes of sequential calls, each on its own schedule: a late answer makes the
            // lane's next send late, and the latency counts from when it was due.
            var interval = Stopwatch.Frequency / rate;
            var lanes = settings.Concurrency;
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(async () =>
            {
                for (long n = lane; clock.Elapsed < phaseLength; n += lanes)
                {
                    var due = started + (long)(n * interval);
                    var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                    if (wait > 0)
                        await Task.Delay((int)wait);
                    await Bid(n, due);
                }
            })));
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = cpuAtStart.Until(SystemCpu.Read(proxy));
        if (failed > 0)
            Console.Error.WriteLine($"  {failed} calls of phase {phase} failed and are not counted");
        var times = answered?.Select(answer =>
            (wallAtStart.AddTicks((answer.At - ticksAtStart) * TimeSpan.TicksPerSecond / Stopwatch.Frequency), answer.Ticks * 1000.0 / Stopwatch.Frequency)).ToList();
        var persistence = await PersistenceReading.ReadAsync(redis);
        var rewrites = persistence.Rewrites - persistenceAtStart.Rewrites + (persistenceAtStart.RewriteInProgress ? 1 : 0);
        return new Throughput(latencies.Count / elapsed, latencies.PercentileMs(50), latencies.PercentileMs(99), (double)accepted / Math.Max(1, latencies.Count), cpu, times, rewrites);
    }

    /// <summary>
    /// <paramref name="watchersPerListing"/> watchers on each of <paramref name="listingCount"/>
    /// listings through <paramref name="channelAddress"/> (the gateway or its peer) while bids
    /// arrive at a steady rate, the listings in turn: the time from sending a bid to each watcher
    /// receiving its event, and whether every watcher got every event of its listing, in order.
    /// Memory is the growth of <paramref name="proxy"/>'s and the Auction's resident memory, each
    /// read after a forced GC, from before the streams opened to after.
    /// </summary>
    public async Task<FanOut> FanOutAsync(Uri channelAddress, IReadOnlyList<Metadata> tokens, int listingCount, int watchersPerListing, Func<Task<long>> proxy, IReadOnlyList<int> proxyProcessIds)
    {
        var remarketing = Token("RC-BENCH", "remarketing", Signers.Identity);
        var watchers = listingCount * watchersPerListing;
        // Under 1,000 streams per connection: the gateway's, the service's and HAProxy's MaxStreamsPerConnection.
        var channels = Enumerable.Range(0, settings.WatchClient == "raw" ? 0 : Math.Max(1, watchers / 2000)).Select(_ => GrpcChannel.ForAddress(channelAddress, ChannelOptions())).ToList();
        var gateway = GrpcChannel.ForAddress(settings.Gateway, ChannelOptions());
        var bidChannel = GrpcChannel.ForAddress(channelAddress, ChannelOptions());
        var admin = new AuctionService.AuctionServiceClient(gateway);
        var listings = new Listing[listingCount];
        for (var l = 0; l < listingCount; l++)
        {
            listings[l] = await admin.CreateListingAsync(new CreateListingRequest
            {
                RequestId = $"bench-fanout-{Guid.NewGuid():N}",
                Vin = UniqueVin(),
                GroundingDealerId = "D-BENCH-GROUND",
                OpeningPriceCents = 1_000_00,
            }, remarketing);
        }

        var proxyBefore = await proxy();
        var auctionBefore = await ProcessMemory.ResidentAfterGcBytesAsync("Remarketing.Auction");

        var totalEvents = settings.BidRate * settings.FanOutSeconds;
        var eventsPerListing = (totalEvents + listingCount - 1) / listingCount;
        var received = new (long Sequence, long Ticks)[watchers][];
        var counts = new int[watchers];
        using var stop = new CancellationTokenSource();
        var ready = new CountdownEvent(watchers);
        void OnMessage(int index, ListingEvent message, long ticks)
        {
            if (message.KindCase == ListingEvent.KindOneofCase.Snapshot)
                ready.Signal();
            else if (message.KindCase == ListingEvent.KindOneofCase.BidPlaced && counts[index] < received[index].Length)
                received[index][counts[index]++] = (message.Sequence, ticks);
        }

        void OnEnded(int index, string why)
        {
            if (!stop.IsCancellationRequested)
                Console.Error.WriteLine($"  watcher {index} ended: {why}");
        }

        for (var w = 0; w < watchers; w++)
            received[w] = new (long, long)[eventsPerListing + 8];
        var rawConnections = new List<RawWatchConnection>();
        var watching = new List<Task>();
        for (var w = 0; w < watchers; w++)
        {
            var index = w;
            var listing = listings[index % listingCount];
            if (settings.WatchClient == "raw")
            {
                if (index % RawStreamsPerConnection == 0)
                    rawConnections.Add(await RawWatchConnection.ConnectAsync(channelAddress, OnMessage, OnEnded));
                rawConnections[^1].Open(index, listing.ListingId, tokens[index % tokens.Count].GetValue("authorization")!);
            }
            else
            {
                var watcherClient = new AuctionService.AuctionServiceClient(channels[index % channels.Count]);
                watching.Add(Task.Run(async () =>
                {
                    using var call = watcherClient.WatchListing(new WatchListingRequest { ListingId = listing.ListingId }, tokens[index % tokens.Count], cancellationToken: stop.Token);
                    try
                    {
                        await foreach (var message in call.ResponseStream.ReadAllAsync(stop.Token))
                            OnMessage(index, message, Stopwatch.GetTimestamp());
                    }
                    catch (RpcException exception)
                    {
                        OnEnded(index, exception.Status.ToString());
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }));
            }

            if (index % 500 == 499)
                await Task.Delay(50);
        }

        if (!ready.Wait(TimeSpan.FromSeconds(180)))
            Console.Error.WriteLine($"  only {watchers - ready.CurrentCount} of {watchers} watchers opened");
        var proxyOpen = await proxy();
        var auctionOpen = await ProcessMemory.ResidentAfterGcBytesAsync("Remarketing.Auction");

        // Two dealers take turns at the minimum on each listing: every bid is accepted and appends one event.
        var bidder = new AuctionService.AuctionServiceClient(bidChannel);
        var sentAt = new ConcurrentDictionary<(int Listing, long Sequence), long>();
        var minimum = listings.Select(listing => listing.MinimumNextBidCents).ToArray();
        var interval = Stopwatch.Frequency / settings.BidRate;
        var cpuAtStart = SystemCpu.Read(proxyProcessIds);
        var started = Stopwatch.GetTimestamp();
        for (var n = 0; n < eventsPerListing * listingCount; n++)
        {
            var l = n % listingCount;
            var due = started + (n * interval);
            while (Stopwatch.GetTimestamp() < due)
                await Task.Delay(1);
            var before = Stopwatch.GetTimestamp();
            var answer = await bidder.PlaceBidAsync(new PlaceBidRequest
            {
                ListingId = listings[l].ListingId,
                BidId = $"fan-{n}",
                AmountCents = minimum[l],
            }, tokens[(n / listingCount) % 2]);
            sentAt[(l, answer.Sequence)] = before;
            minimum[l] = answer.MinimumNextBidCents;
        }

        // Until every watcher has every event (or a minute has gone): a system that falls behind
        // shows as latency, and one that loses events as incomplete watchers.
        var draining = Stopwatch.StartNew();
        while (draining.Elapsed < TimeSpan.FromMinutes(1) && Enumerable.Range(0, watchers).Any(w => Volatile.Read(ref counts[w]) < eventsPerListing))
            await Task.Delay(100);
        var cpu = cpuAtStart.Until(SystemCpu.Read(proxyProcessIds));
        await stop.CancelAsync();
        await Task.WhenAll(watching);
        foreach (var connection in rawConnections)
            connection.Dispose();

        var latencies = new Latencies();
        var complete = 0;
        var expected = Enumerable.Range(1, eventsPerListing).Select(s => (long)s).ToArray();
        for (var w = 0; w < watchers; w++)
        {
            var l = w % listingCount;
            var events = received[w].AsSpan(0, counts[w]).ToArray();
            if (events.Select(e => e.Sequence).SequenceEqual(expected))
                complete++;
            latencies.AddRange(events.Where(e => sentAt.ContainsKey((l, e.Sequence))).Select(e => e.Ticks - sentAt[(l, e.Sequence)]));
        }

        foreach (var listing in listings)
        {
            await admin.CloseListingAsync(new CloseListingRequest
            {
                RequestId = $"bench-fanout-close-{listing.ListingId}",
                ListingId = listing.ListingId,
                Reason = "benchmark over",
                Withdraw = true,
            }, remarketing);
        }

        foreach (var channel in channels)
            channel.Dispose();
        bidChannel.Dispose();
        gateway.Dispose();
        return new FanOut(latencies.PercentileMs(50), latencies.PercentileMs(99), complete, eventsPerListing,
            proxyOpen - proxyBefore, auctionOpen - auctionBefore, watchers, cpu);
    }

    /// <summary>
    /// BidStream beside unary PlaceBid, on the accepted-bid workload: <see cref="BenchSettings.Concurrency"/>
    /// lanes, each bidding one bid at a time for the dealers it owns in turn, each dealer over one
    /// stream of its own (spread so that no dealer meets its write limit).
    /// </summary>
    public async Task<Throughput> BidStreamsAsync(string phase, GrpcChannel channel, IReadOnlyList<Metadata> tokens, IReadOnlyList<int> proxy)
    {
        await SeedListingsAsync(phase, settings.Listings);
        var client = new AuctionService.AuctionServiceClient(channel);
        var latencies = new Latencies();
        long accepted = 0;
        using var stop = new CancellationTokenSource();
        var streams = tokens.Select(token => client.BidStream(token, cancellationToken: stop.Token)).ToArray();
        var duration = TimeSpan.FromSeconds(settings.Seconds);
        var lanes = settings.Concurrency;
        long n = 0;
        var perLane = Math.Max(1, streams.Length / lanes);
        var persistenceAtStart = await PersistenceReading.ReadAsync(redis);
        var cpuAtStart = SystemCpu.Read(proxy);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(async () =>
        {
            for (var turn = 0; clock.Elapsed < duration; turn++)
            {
                var call = streams[(lane + (turn % perLane * lanes)) % streams.Length];
                var random = Random.Shared;
                var began = Stopwatch.GetTimestamp();
                await call.RequestStream.WriteAsync(new PlaceBidRequest
                {
                    ListingId = ListingId(phase, random.NextInt64(settings.Listings)),
                    BidId = $"{phase}-{Interlocked.Increment(ref n)}-{random.NextInt64()}",
                    AmountCents = 1 + random.NextInt64(settings.Listings - 1),
                });
                PlaceBidResponse answer;
                do
                {
                    if (!await call.ResponseStream.MoveNext(stop.Token))
                        throw new InvalidOperationException("a bid stream ended early");
                    answer = call.ResponseStream.Current;
                }
                while (answer.Heartbeat is not null);
                latencies.Add(Stopwatch.GetTimestamp() - began);
                if (answer.Accepted)
                    Interlocked.Increment(ref accepted);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = cpuAtStart.Until(SystemCpu.Read(proxy));
        foreach (var call in streams)
            await call.RequestStream.CompleteAsync();
        await stop.CancelAsync();
        foreach (var call in streams)
            call.Dispose();
        return new Throughput(latencies.Count / elapsed, latencies.PercentileMs(50), latencies.PercentileMs(99), (double)accepted / Math.Max(1, latencies.Count), cpu);
    }

    /// <summary>The serial of the last VIN made: one after another from a random start, so no two listings of a run share a vehicle.</summary>
    private static int _vinSerial = Random.Shared.Next(1_000_000);

    /// <summary>A valid VIN (right check digit) of its own for each listing: a vehicle is on one live listing at a time.</summary>
    private static string UniqueVin()
    {
        var serial = Interlocked.Increment(ref _vinSerial) % 1_000_000;
        var body = $"1HGCV1F3_PB{serial:D6}";
        return "0123456789X".Select(digit => body.Replace('_', digit)).First(vin => Remarketing.ServiceDefaults.Domain.Vin.Problem(vin) is null);
    }

    public Metadata Token(string subject, string role, string signer)
    {
        // Inside, no token may live longer than 10 min; the direct phases are over well before that.
        var (audience, lifetime) = signer == Signers.Identity
            ? (Signers.PublicAudience, TimeSpan.FromHours(1))
            : (Signers.ServicesAudience, TimeSpan.FromMinutes(9));
        var token = new TokenIssuer(keys, signer).Issue(subject, role, audience, lifetime);
        return new Metadata { { "authorization", $"Bearer {token}" } };
    }

    /// <summary>Redis as its operator (the admin user), for what a service's user may not do.</summary>
    public static Task<ConnectionMultiplexer> ConnectAdminAsync(BenchSettings settings) =>
        ConnectionMultiplexer.ConnectAsync($"{settings.Redis},user={RedisAccess.Admin},password={RedisAccess.ReadPassword(settings.Keys, RedisAccess.Admin)},allowAdmin=true");

    /// <summary>
    /// Rewrites Redis' append-only file now and waits for the rewrite to end, so that what the phases
    /// before wrote does not start one during the phase that follows: a rewrite forks Redis and
    /// writes the whole data set again on the same cores, and would fall in whichever phase it fell in.
    /// </summary>
    public async Task SettleRedisAsync()
    {
        await using var admin = await ConnectAdminAsync(settings);
        foreach (var server in admin.GetServers().Where(server => !server.IsReplica))
        {
            try
            {
                await server.ExecuteAsync("BGREWRITEAOF");
            }
            catch (RedisServerException)
            {
                // One runs already: waited for below.
            }
        }
        while ((await PersistenceReading.ReadAsync(redis)).RewriteInProgress)
            await Task.Delay(100);
    }

    /// <summary>Removes every key the benchmark made, and its listings' index entries.</summary>
    public async Task CleanUpAsync()
    {
        var database = redis.GetDatabase();
        foreach (var chunk in _seeded.Chunk(5000))
        {
            RedisValue[] ids = [.. chunk.Select(seeded => (RedisValue)seeded.ListingId)];
            await Task.WhenAll(
                database.SortedSetRemoveAsync(AuctionKeys.Closing, ids),
                database.SortedSetRemoveAsync(AuctionKeys.Live, ids),
                database.SortedSetRemoveAsync(AuctionKeys.Closed, ids),
                // One DEL per claim: each vehicle's claim has a slot of its own (Redis Cluster refuses a DEL across slots).
                Task.WhenAll(chunk.Select(seeded => database.KeyDeleteAsync(AuctionKeys.VehicleClaim(seeded.Vin)))));
        }
        _seeded.Clear();
        // The rest of the bench's listings' keys, found by name: a scan of the keyspace, which the
        // service's own user may not make, so as the operator's (the admin user).
        await using var admin = await ConnectAdminAsync(settings);
        var adminDatabase = admin.GetDatabase();
        foreach (var server in admin.GetServers().Where(server => !server.IsReplica))
        {
            var batch = new List<Task>();
            await foreach (var key in server.KeysAsync(pattern: $"auction:{{listing:{Prefix}*", pageSize: 5000))
                batch.Add(adminDatabase.KeyDeleteAsync(key, CommandFlags.FireAndForget));
            await Task.WhenAll(batch);
        }
    }
}
