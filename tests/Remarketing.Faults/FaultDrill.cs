using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Remarketing.Auction.Engine;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Faults;

/// <summary>
/// Drives steady bidding (PlaceBid, retried with the same bid id on Unavailable) and watching
/// (WatchListing, resumed with after_sequence) through the gateway, kills one process in turn,
/// and checks the listing's log afterwards: every acknowledged bid in it exactly once, no gap,
/// every stream caught up without a repeat, each listing closed once with one outcome.
/// </summary>
public static class FaultDrill
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<FaultReport>> RunAsync(FaultDrillOptions options, TextWriter log)
    {
        var reports = new List<FaultReport>();
        await using (var redis = await RedisServer.StartLocalAsync())
        await using (var system = await RemarketingSystem.StartAsync(redis, Settings(hardClose: false)))
        {
            log.WriteLine("system up: one Auction instance, Redis as deploy/redis/redis.conf configures it");
            reports.Add(await SteadyAsync("Auction killed (SIGKILL), started again", system, redis, options, log, async _ =>
            {
                await system.KillAsync("auction");
                await system.StartAgainAsync("auction");
            }));
            reports.Add(await SteadyAsync("gateway killed (SIGKILL), started again", system, redis, options, log, async _ =>
            {
                await system.KillAsync("gateway");
                await system.StartAgainAsync("gateway");
            }));
            reports.Add(await SteadyAsync("Redis killed (SIGKILL), started from its append-only file", system, redis, options, log, async _ =>
            {
                await redis.KillAsync();
                await redis.StartAgainAsync();
            }));
        }

        await using (var redis = await RedisServer.StartLocalAsync())
        await using (var system = await RemarketingSystem.StartAsync(redis, Settings(hardClose: true), auctionInstances: 2))
        {
            log.WriteLine("system up: two Auction instances");
            reports.Add(await ClosingAsync(system, redis, options, log));
        }

        await using (var redis = await RedisServer.StartClusterAsync())
        await using (var system = await RemarketingSystem.StartAsync(redis, Settings(hardClose: false)))
        {
            log.WriteLine("system up on a Redis Cluster: three primaries, a replica of each; a write is answered once a replica has it (WAIT 1)");
            reports.Add(await SteadyAsync("the listing's Redis primary killed (SIGKILL), its replica takes over", system, redis, options, log, async listing =>
            {
                var port = await redis.KillPrimaryOfAsync(AuctionKeys.State(listing.ListingId));
                log.WriteLine($"primary 127.0.0.1:{port} killed; its replica serves the listing");
                // As an operator (or Kubernetes) would: the old primary comes back, as a replica, and writes are copied again.
                await redis.StartNodeAgainAsync(port);
            }));
        }

        return reports;
    }

    private static Dictionary<string, string> Settings(bool hardClose)
    {
        var settings = new Dictionary<string, string>
        {
            ["Streams:HeartbeatInterval"] = Heartbeat.ToString(),
            ["Auction:CloserInterval"] = "00:00:00.100",
            ["RateLimits:Writes:TokenLimit"] = "1000000",
            ["RateLimits:Writes:TokensPerPeriod"] = "1000000",
            ["RateLimits:Reads:TokenLimit"] = "1000000",
            ["RateLimits:Reads:TokensPerPeriod"] = "1000000",
        };
        if (hardClose)
            settings["Auction:SoftClose"] = "00:00:00";
        return settings;
    }

    private static async Task<FaultReport> SteadyAsync(
        string fault, RemarketingSystem system, RedisServer redis, FaultDrillOptions options, TextWriter log, Func<Listing, Task> inject)
    {
        var listing = await CreateListingAsync(system, TimeSpan.FromDays(6));
        await using var traffic = await Traffic.StartAsync(system, [listing], options);
        await Task.Delay(options.Before);
        var clock = Stopwatch.StartNew();
        await inject(listing);
        log.WriteLine($"{fault}: back after {clock.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(options.After);
        await traffic.StopBiddingAsync();
        return await traffic.ReportAsync(fault, redis, expectClose: false);
    }

    private static async Task<FaultReport> ClosingAsync(RemarketingSystem system, RedisServer redis, FaultDrillOptions options, TextWriter log)
    {
        const string fault = "one of two Auction instances killed while closing";
        var window = options.Before + TimeSpan.FromSeconds(3);
        var listings = await Task.WhenAll(Enumerable.Range(0, options.ClosingListings).Select(_ => CreateListingAsync(system, window)));
        var endsAt = listings.Min(listing => listing.EndsAt.ToDateTime());
        await using var traffic = await Traffic.StartAsync(system, listings, options);
        // Killed as the closers start on the listings ending first.
        var untilEnd = endsAt - DateTime.UtcNow;
        if (untilEnd > TimeSpan.Zero)
            await Task.Delay(untilEnd);
        var killed = await BusiestAuctionInstanceAsync(system);
        await system.KillAsync(killed);
        log.WriteLine($"{fault}: {killed} killed at the listings' end");
        await Task.Delay(options.After);
        await traffic.StopBiddingAsync();
        var report = await traffic.ReportAsync(fault, redis, expectClose: true);
        await system.StartAgainAsync(killed);
        return report;
    }

    /// <summary>
    /// The Auction instance with the most streams open: the one the traffic reaches. The gateway's
    /// streams (each dealer's bids, each listing's relay) stay where they opened, and at a cold start
    /// most open on whichever instance answered first; either instance's closer is at work.
    /// </summary>
    private static async Task<string> BusiestAuctionInstanceAsync(RemarketingSystem system)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var streams = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (process, health) in system.HealthAddresses.Where(process => process.Key.StartsWith("auction", StringComparison.Ordinal)))
            streams[process] = await ProcessMetrics.SumAsync(http, health, "remarketing_rpc_server_streams_open");
        return streams.MaxBy(instance => instance.Value).Key;
    }

    internal static async Task<Listing> CreateListingAsync(RemarketingSystem system, TimeSpan window)
    {
        var auction = new AuctionService.AuctionServiceClient(system.GatewayChannel());
        try
        {
            return await auction.CreateListingAsync(new CreateListingRequest
            {
                RequestId = Guid.NewGuid().ToString("N"),
                Vin = TestVins.Next(),
                GroundingDealerId = "D-GROUND",
                OpeningPriceCents = 1_000_00,
                Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(window),
            }, system.Tokens.Bearer("RC-DRILL", RoleNames.Remarketing), deadline: DateTime.UtcNow + CallDeadline);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Internal)
        {
            // Seen once in CI, under load, and never here: what the service logged says why.
            throw new InvalidOperationException($"CreateListing failed Internal; the Auction instances logged:\n{system.OutputOfEvery("auction")}", exception);
        }
    }

    /// <summary>The dealers and watchers of one phase, and what they saw.</summary>
    internal sealed class Traffic : IAsyncDisposable
    {
        private readonly RemarketingSystem _system;
        private readonly IReadOnlyList<Listing> _listings;
        private readonly CancellationTokenSource _bidding = new();
        private readonly CancellationTokenSource _watching = new();
        private readonly ConcurrentDictionary<string, long> _minimumNext = new(StringComparer.Ordinal);
        /// <summary>Accepted bids; RaisedOwnMaximum: the leader's bid, which only raised its own maximum and so makes no event (DESIGN 4).</summary>
        private readonly ConcurrentBag<(string ListingId, string Dealer, string BidId, bool RaisedOwnMaximum)> _acknowledged = [];
        private readonly ConcurrentDictionary<StatusCode, int> _statuses = new();
        /// <summary>The first few refusals other than Unavailable, with who saw them and the detail, for the report.</summary>
        private readonly ConcurrentQueue<string> _otherStatuses = new();
        private readonly List<Watcher> _watchers = [];
        private readonly List<Task> _dealers = [];
        private int _hangs;
        private double _resentBefore;

        private Traffic(RemarketingSystem system, IReadOnlyList<Listing> listings)
        {
            _system = system;
            _listings = listings;
            foreach (var listing in listings)
                _minimumNext[listing.ListingId] = listing.MinimumNextBidCents;
        }

        public static async Task<Traffic> StartAsync(RemarketingSystem system, Listing[] listings, FaultDrillOptions options)
        {
            var traffic = new Traffic(system, listings) { _resentBefore = await GatewayBidsResentAsync(system) };
            for (var i = 0; i < options.Watchers; i++)
            {
                var watcher = new Watcher(system, listings[i % listings.Length].ListingId, $"D-WATCH-{i}", exception => traffic.Count(exception, "WatchListing"));
                traffic._watchers.Add(watcher);
                watcher.Start(traffic._watching.Token);
            }
            for (var i = 0; i < options.Dealers; i++)
            {
                var dealer = $"D-DRILL-{i}";
                traffic._dealers.Add(Task.Run(() => traffic.BidAsync(dealer)));
            }
            return traffic;
        }

        public async Task StopBiddingAsync()
        {
            await _bidding.CancelAsync();
            await Task.WhenAll(_dealers);
        }

        /// <summary>Waits until every watcher has the listing's last event, then checks the log against what was acknowledged and seen.</summary>
        public async Task<FaultReport> ReportAsync(string fault, RedisServer redis, bool expectClose)
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var database = connection.GetDatabase();
            var logs = new Dictionary<string, StoredEvent[]>(StringComparer.Ordinal);
            var caughtUp = Stopwatch.StartNew();
            while (true)
            {
                foreach (var listing in _listings)
                    logs[listing.ListingId] = [.. (await database.StreamRangeAsync(AuctionKeys.Events(listing.ListingId))).Select(StoredEvent.From)];
                var behind = _watchers.Where(watcher => watcher.Last < (logs[watcher.ListingId].LastOrDefault()?.Sequence ?? 0)).ToList();
                var closing = expectClose && logs.Values.Any(events => !events.Any(e => e.Kind == EventKind.Close));
                if ((behind.Count == 0 && !closing) || caughtUp.Elapsed > TimeSpan.FromSeconds(30))
                    break;
                await Task.Delay(200);
            }
            await _watching.CancelAsync();
            await Task.WhenAll(_watchers.Select(watcher => watcher.Running));

            long lost = 0, duplicated = 0, gaps = 0;
            foreach (var (listingId, dealer, bidId, raisedOwnMaximum) in _acknowledged)
            {
                // Every acknowledged bid's answer is stored for its retries; a bid that moved the
                // price or the leader is on the log, once.
                var stored = await database.HashExistsAsync(AuctionKeys.Answers(listingId), CompositeKey.Of("bid", dealer, bidId));
                var found = logs[listingId].Count(e => e.Kind == EventKind.Bid && e.Bidder == dealer && e.BidId == bidId);
                if (!stored || (found == 0 && !raisedOwnMaximum))
                    lost++;
                if (found > 1)
                    duplicated += found - 1;
            }
            foreach (var events in logs.Values)
                gaps += events.Select((e, i) => e.Sequence == i + 1 ? 0 : 1).Sum();
            foreach (var watcher in _watchers)
                gaps += watcher.Gaps + Math.Max(0, (logs[watcher.ListingId].LastOrDefault()?.Sequence ?? 0) - watcher.Last);

            var closedOnce = _listings.Count(listing => logs[listing.ListingId].Count(e => e.Kind == EventKind.Close) == 1);
            // The drill's listings belong to no return case, so they owe no calls; what counts is that each close was handed off, once.
            var handedOff = await Task.WhenAll(_listings.Select(listing => database.SetContainsAsync(AuctionKeys.HandedOff, $"ended:{listing.ListingId}")));
            var outcomesOnce = handedOff.Count(marked => marked);
            return new FaultReport(fault, _acknowledged.Count, lost, duplicated, gaps, _watchers.Sum(watcher => watcher.Repeats),
                _watchers.Sum(watcher => watcher.Resumes), _watchers.Sum(watcher => watcher.Silences),
                expectClose ? _listings.Count : 0, expectClose ? closedOnce : 0, expectClose ? outcomesOnce : 0,
                new Dictionary<StatusCode, int>(_statuses), _hangs + _watchers.Sum(watcher => watcher.Hangs), [.. _otherStatuses],
                (long)Math.Max(0, await GatewayBidsResentAsync(_system) - _resentBefore));
        }

        /// <summary>
        /// Bids the gateways sent again on a new stream because the stream they were on broke, as their
        /// /metrics count them so far; a gateway down at that moment counts none.
        /// </summary>
        private static async Task<double> GatewayBidsResentAsync(RemarketingSystem system)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var resent = 0.0;
            foreach (var (process, health) in system.HealthAddresses.Where(process => process.Key.StartsWith("gateway", StringComparison.Ordinal)))
            {
                try
                {
                    resent += await ProcessMetrics.SumAsync(http, health, "remarketing_gateway_bids_resent_total");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // Killed, or starting again.
                }
            }
            return resent;
        }

        public async ValueTask DisposeAsync()
        {
            await _bidding.CancelAsync();
            await _watching.CancelAsync();
            await Task.WhenAll(_dealers.Concat(_watchers.Select(watcher => watcher.Running)));
            _bidding.Dispose();
            _watching.Dispose();
        }

        private void Count(RpcException exception, string call)
        {
            var status = exception.StatusCode;
            _statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
            if (status != StatusCode.Unavailable && _otherStatuses.Count < 5)
                _otherStatuses.Enqueue($"{call}: {status} \"{exception.Status.Detail}\"{(exception.Status.DebugException is { } debug ? $" ({debug.GetType().Name}: {debug.Message})" : "")}");
            if (status == StatusCode.DeadlineExceeded)
                Interlocked.Increment(ref _hangs);
        }

        /// <summary>Plain bids at the minimum, one after another; a bid whose answer did not come is sent again with the same bid id.</summary>
        private async Task BidAsync(string dealer)
        {
            var auction = new AuctionService.AuctionServiceClient(_system.GatewayChannel());
            var open = _listings.Select(listing => listing.ListingId).ToList();
            for (var n = 0; !_bidding.IsCancellationRequested && open.Count > 0; n++)
            {
                var listingId = open[Random.Shared.Next(open.Count)];
                var request = new PlaceBidRequest { ListingId = listingId, BidId = $"{dealer}-{n}", AmountCents = _minimumNext[listingId] };
                while (true)
                {
                    try
                    {
                        var answer = await auction.PlaceBidAsync(request, _system.Tokens.Bearer(dealer, RoleNames.Buyer), deadline: DateTime.UtcNow + CallDeadline);
                        if (answer.Accepted)
                            _acknowledged.Add((listingId, dealer, request.BidId, answer.CallerMaxAmountCents > 0));
                        else if (answer.Rejection == Remarketing.Contracts.Auction.V1.BidRejection.ListingClosed)
                            open.Remove(listingId);
                        _minimumNext.AddOrUpdate(listingId, answer.MinimumNextBidCents, (_, known) => Math.Max(known, answer.MinimumNextBidCents));
                        break;
                    }
                    catch (RpcException exception)
                    {
                        Count(exception, "PlaceBid");
                        if (_bidding.IsCancellationRequested || exception.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown))
                            break;
                        await Task.Delay(100);
                    }
                }
                await Task.Delay(Random.Shared.Next(20, 60));
            }
        }
    }

    /// <summary>One WatchListing stream, resumed after its last sequence whenever it breaks or falls silent.</summary>
    private sealed class Watcher(RemarketingSystem system, string listingId, string dealer, Action<RpcException> count)
    {
        public string ListingId => listingId;

        public long Last { get; private set; }

        public long Gaps { get; private set; }

        public long Repeats { get; private set; }

        public int Resumes { get; private set; }

        /// <summary>Streams whose first message (the snapshot) did not come within the call deadline.</summary>
        public int Hangs { get; private set; }

        /// <summary>Streams that fell silent for three heartbeats after their first message: a dead peer, noticed and left.</summary>
        public int Silences { get; private set; }

        public Task Running { get; private set; } = Task.CompletedTask;

        public void Start(CancellationToken stop) => Running = Task.Run(() => WatchAsync(stop), CancellationToken.None);

        private async Task WatchAsync(CancellationToken stop)
        {
            var auction = new AuctionService.AuctionServiceClient(system.GatewayChannel());
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var call = auction.WatchListing(new WatchListingRequest { ListingId = listingId, AfterSequence = Last },
                        system.Tokens.Bearer(dealer, RoleNames.Buyer), cancellationToken: stop);
                    for (var first = true; ; first = false)
                    {
                        // A service just started may take a while to answer; once it has, silence for
                        // three heartbeats means the peer is gone, as a bidding client would judge it.
                        using var silence = CancellationTokenSource.CreateLinkedTokenSource(stop);
                        silence.CancelAfter(first ? CallDeadline : Heartbeat * 3);
                        bool more;
                        try
                        {
                            more = await call.ResponseStream.MoveNext(silence.Token);
                        }
                        catch (RpcException) when (silence.IsCancellationRequested && !stop.IsCancellationRequested)
                        {
                            if (first)
                                Hangs++;
                            else
                                Silences++;
                            break;
                        }
                        if (!more)
                            break;
                        Take(call.ResponseStream.Current);
                    }
                }
                catch (RpcException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (RpcException exception)
                {
                    count(exception);
                }

                if (stop.IsCancellationRequested)
                    return;
                Resumes++;
                await Task.Delay(100, CancellationToken.None);
            }
        }

        private void Take(ListingEvent message)
        {
            if (message.KindCase is ListingEvent.KindOneofCase.Snapshot or ListingEvent.KindOneofCase.Heartbeat)
                return;
            if (message.Sequence <= Last)
                Repeats++;
            else
                Gaps += message.Sequence - Last - 1;
            Last = Math.Max(Last, message.Sequence);
        }
    }
}
