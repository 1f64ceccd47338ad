using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Keys;
using Remarketing.Simulator.Running;
using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Faults;

/// <summary>
/// Redis restarted under the system, configured exactly as shipped: the whole lease-end process
/// driven through the gateway (the simulation, stepped: returns, inspections, listings, bids,
/// buy-now, soft closes, closes, pickups, settlements; a disputed inspection whose hand-off is
/// set aside and later replayed; hand-offs left pending with Transport down), then Redis killed
/// with SIGKILL at several points: before any rewrite of its append-only file, after one, and in
/// the middle of a burst of bids. After each start, every key is compared with what it held
/// when killed, every case and listing the clients were told of must still be there, and every
/// service's invariants must hold.
/// </summary>
public static class RestartDrill
{
    private const string CenterId = "RC-DRILL";
    private static readonly TimeSpan Step = TimeSpan.FromHours(2);

    public static async Task<IReadOnlyList<RestartReport>> RunAsync(RestartDrillOptions options, TextWriter log)
    {
        var reports = new List<RestartReport>();
        var acknowledgements = new Acknowledgements();
        await using var redis = await RedisServer.StartLocalAsync();
        await using var system = await RemarketingSystem.StartAsync(redis, Settings);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",abortConnect=false,allowAdmin=true");
        using var gateway = new Gateway(system.GatewayGrpcAddress, system.GatewayHttpAddress, observer: acknowledgements);
        var drill = new Drill(redis, system, admin, gateway, acknowledgements, log);
        log.WriteLine("restart drill: Redis as deploy/redis/redis.conf configures it, the system on it");

        var clock = await SteppedClock.PauseAsync(gateway, Step, CancellationToken.None);
        var told = await drill.SimulateAsync(clock, options.Seed, options.Days);
        var disputed = await drill.DisputeAnInspectionAsync();
        await system.KillAsync("transport");
        told += await drill.LeaveHandOffsPendingAsync();
        reports.Add(await drill.RestartRedisAsync("after a lifecycle, before any rewrite (hand-offs pending and set aside)", told));
        // Each kill point builds on the data the one before left: after a loss, the rest would measure the loss again.
        if (!reports[^1].Passed)
            return reports;

        await system.StartAgainAsync("transport");
        await drill.ReplayAsync(disputed);
        await drill.RewriteAppendOnlyFileAsync();
        told = await drill.SimulateAsync(clock, options.Seed + 1, options.Days);
        reports.Add(await drill.RestartRedisAsync("after an AOF rewrite and more of the lifecycle", told));
        if (!reports[^1].Passed)
            return reports;

        reports.Add(await drill.KillDuringBidsAsync(options.Burst));
        return reports;
    }

    private static Dictionary<string, string> Settings => new()
    {
        // A shared clock (the simulation pauses it and moves it on a step at a time).
        ["Clock:Epoch"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["Clock:Speed"] = "1",
        ["HandOffs:PollInterval"] = "00:00:00.050",
        ["HandOffs:FirstBackoff"] = "00:00:00.100",
        ["HandOffs:MaxBackoff"] = "00:00:00.500",
        ["HandOffs:RefusalsBeforeFailed"] = "3",
        ["Quote:JobInterval"] = "00:00:00.100",
        ["Transport:JobInterval"] = "00:00:00.100",
        ["Auction:CloserInterval"] = "00:00:00.050",
        ["Invariants:Interval"] = "00:00:02",
        ["Streams:HeartbeatInterval"] = "00:00:00.500",
        ["RateLimits:Writes:TokenLimit"] = "1000000",
        ["RateLimits:Writes:TokensPerPeriod"] = "1000000",
        ["RateLimits:Reads:TokenLimit"] = "1000000",
        ["RateLimits:Reads:TokensPerPeriod"] = "1000000",
    };

    /// <summary>What the clients were told exists: cases and listings, to find again after each restart.</summary>
    private sealed record Told(IReadOnlyList<string> CaseIds, IReadOnlyList<string> ListingIds)
    {
        public static Told Nothing { get; } = new([], []);

        public static Told operator +(Told first, Told second) => new([.. first.CaseIds, .. second.CaseIds], [.. first.ListingIds, .. second.ListingIds]);
    }

    private sealed class Drill(
        RedisServer redis, RemarketingSystem system, IConnectionMultiplexer admin, Gateway gateway, Acknowledgements acknowledgements, TextWriter log)
    {
        private long _acknowledgedBefore;

        private Task<Metadata> Center => gateway.AsAsync(CenterId, RoleNames.Remarketing);

        /// <summary>The simulation, stepped through <paramref name="days"/> simulated days with returns in the first; what it was told of.</summary>
        public async Task<Told> SimulateAsync(SteppedClock clock, int seed, double days)
        {
            var settings = new SimulationSettings(
                system.GatewayGrpcAddresses, system.GatewayHttpAddresses, seed, Speed: null, ReturnsPerDay: 12, Dealers: 6,
                Duration: TimeSpan.FromDays(days), ReturnsFor: TimeSpan.FromDays(1),
                Path.Combine(Path.GetTempPath(), "remarketing-restart-drill", Guid.NewGuid().ToString("N")),
                SimulationSettings.DefaultInspectionCompanies, Carriers: 2, Step: Step, Settle: TimeSpan.FromMilliseconds(300));
            var simulation = new Simulation(gateway, clock, settings, TimeProvider.System);
            var summary = await simulation.RunAsync(TimeProvider.System, CancellationToken.None);
            var stories = simulation.Seen.Stories();
            log.WriteLine($"simulated {days} days (seed {seed}): {summary.Outcome()}");
            return new Told(
                [.. stories.Select(story => story.CaseId).OfType<string>()],
                [.. stories.Select(story => story.ListingId).OfType<string>()]);
        }

        /// <summary>A return whose inspector reads 5,000 mi below the signed statement: Quote refuses the result until Inspection sets the hand-off aside.</summary>
        public async Task<(string CaseId, ReturnCase Case, FailedHandOff HandOff)> DisputeAnInspectionAsync()
        {
            var center = await Center;
            var now = (await gateway.Clock.GetClockAsync(new GetClockRequest(), center)).Now.ToDateTimeOffset();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var terms = SampleLease.Terms(today.AddMonths(-36).AddDays(-3));
            await SampleLease.OpenAsync(gateway.Quote, terms, center, "D-DRILL");
            var dealer = await gateway.AsAsync("D-DRILL", RoleNames.GroundingDealer);
            var returned = await gateway.Quote.NotifyReturnAsync(new NotifyReturnRequest
            {
                RequestId = NewId(), AccountId = terms.AccountId, Vin = terms.Vehicle.Vin, ReturnDate = SampleLease.ToDate(today),
                OdometerMiles = 40_000, OdometerSignedByLessee = true, ReturnedItems = new ReturnedItems { Keys = 2, OwnersManual = true },
                DealerState = "OH", Disposition = ReturnDisposition.LesseeReturn,
            }, dealer);
            var scheduled = await Waiting.EventuallyAsync("the disputed case's inspection order", async () =>
                (await gateway.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = returned.CaseId }, center)).Events
                    .FirstOrDefault(step => step.Step == CaseStep.InspectionScheduled));
            var order = await gateway.Inspection.GetInspectionOrderAsync(new GetInspectionOrderRequest { OrderId = scheduled.Reference }, center);
            var inspector = await gateway.AsAsync(order.InspectionCompany, RoleNames.Inspector);
            await gateway.Inspection.AcceptInspectionAsync(new AcceptInspectionRequest { RequestId = NewId(), OrderId = order.OrderId }, inspector);
            await gateway.Inspection.SubmitConditionReportAsync(new SubmitConditionReportRequest
            {
                RequestId = NewId(), OrderId = order.OrderId, OdometerMiles = 35_000,
                Tires = { new TireReading { Position = "LF", Tread32Nds = 7 }, new TireReading { Position = "RF", Tread32Nds = 7 },
                          new TireReading { Position = "LR", Tread32Nds = 6 }, new TireReading { Position = "RR", Tread32Nds = 6 } },
            }, inspector);
            var failed = await Waiting.EventuallyAsync("the refused inspection result set aside", async () =>
                (await gateway.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("inspection", center))).HandOffs
                    .FirstOrDefault(handOff => handOff.RequestJson.Contains(returned.CaseId, StringComparison.Ordinal)));
            log.WriteLine($"case {returned.CaseId}: the inspection result refused ({failed.Error}) and set aside after {failed.Attempts} attempts");
            return (returned.CaseId, returned, failed);
        }

        /// <summary>With Transport down: the center closes one listing and withdraws another, so the Auction's hand-offs to Transport wait in its outbox.</summary>
        public async Task<Told> LeaveHandOffsPendingAsync()
        {
            var center = await Center;
            var live = (await gateway.Auction.ListListingsAsync(new ListListingsRequest { State = ListingState.Live, Page = new() { PageSize = 50 } }, center)).Listings
                .Where(listing => listing.CaseId.Length > 0).Take(2).ToList();
            if (live.Count == 0)
                throw new InvalidOperationException("the simulation left no live listing of a return case to close: simulate longer");
            var ended = new List<string>();
            foreach (var (listing, withdraw) in live.Select((listing, i) => (listing, i == 1)))
            {
                await gateway.Auction.CloseListingAsync(new CloseListingRequest
                {
                    RequestId = NewId(), ListingId = listing.ListingId, Reason = "restart drill", Withdraw = withdraw,
                }, center);
                ended.Add(listing.ListingId);
            }
            var pending = await Waiting.EventuallyAsync("the Auction's hand-offs to Transport pending", async () =>
            {
                var length = await admin.GetDatabase().StreamLengthAsync(new Remarketing.ServiceDefaults.HandOffs.Outbox("auction").Pending);
                return length > 0 ? (object)length : null;
            });
            log.WriteLine($"Transport down: {pending} Auction hand-offs pending after closing {string.Join(" and ", ended)}");
            return new Told([], ended);
        }

        /// <summary>Corrects the disputed case's odometer and replays its hand-off: the case is inspected, once.</summary>
        public async Task ReplayAsync((string CaseId, ReturnCase Case, FailedHandOff HandOff) disputed)
        {
            var center = await Center;
            await gateway.Quote.RecordOdometerAsync(new RecordOdometerRequest { RequestId = NewId(), CaseId = disputed.CaseId, OdometerMiles = 35_000 }, center);
            await gateway.HandOffs.ReplayHandOffAsync(new ReplayHandOffRequest { RequestId = NewId(), EntryId = disputed.HandOff.EntryId }, ServiceMetadata.For("inspection", center));
            var inspected = await Waiting.EventuallyAsync("the replayed inspection result to arrive", async () =>
            {
                var steps = (await gateway.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = disputed.CaseId }, center)).Events;
                return steps.Any(step => step.Step == CaseStep.Inspected) ? steps : null;
            });
            if (inspected.Count(step => step.Step == CaseStep.Inspected) != 1)
                throw new InvalidOperationException($"case {disputed.CaseId} was inspected {inspected.Count(step => step.Step == CaseStep.Inspected)} times after one replay");
            log.WriteLine($"case {disputed.CaseId}: odometer corrected, hand-off replayed, inspected once");
        }

        public async Task RewriteAppendOnlyFileAsync()
        {
            var server = admin.GetServers()[0];
            var before = long.Parse(await InfoAsync("aof_rewrites"), CultureInfo.InvariantCulture);
            await server.ExecuteAsync("BGREWRITEAOF");
            await Waiting.EventuallyAsync("the append-only file's rewrite", async () =>
                long.Parse(await InfoAsync("aof_rewrites"), CultureInfo.InvariantCulture) > before && await InfoAsync("aof_rewrite_in_progress") == "0"
                    ? "done" : null);
            log.WriteLine($"append-only file rewritten (aof_last_bgrewrite_status {await InfoAsync("aof_last_bgrewrite_status")})");
        }

        /// <summary>Waits until nothing writes, SIGKILLs Redis, starts it again from its files, and compares.</summary>
        public async Task<RestartReport> RestartRedisAsync(string killPoint, Told told)
        {
            var before = await QuietContentsAsync();
            var clock = Stopwatch.StartNew();
            await redis.KillAsync();
            await redis.StartAgainAsync();
            var after = await RedisContents.TakeAsync(admin);
            log.WriteLine($"{killPoint}: Redis back in {clock.Elapsed.TotalSeconds:0.0} s");
            var difference = before.Against(after);
            await system.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

            var missing = await MissingAsync(told);
            var findings = await Doctor.ExamineAsync(admin);
            var examples = difference.LostKeys.Concat(difference.DuplicatedKeys).Select(entry => entry.What)
                .Concat(missing).Concat(findings.Invariants.Breaches.Values.SelectMany(found => found).Select(breach => breach.ToString())).Take(10).ToList();
            return new RestartReport(killPoint, TakeAcknowledged(), difference.ComparedKeys.Values.Sum(),
                difference.LostKeys.Count + missing.Count, difference.DuplicatedKeys.Count, findings.Invariants.Count, examples);
        }

        /// <summary>Dealers bidding through the gateway on fresh listings; Redis SIGKILLed in the middle and started again; every acknowledged bid there once, and every other key untouched.</summary>
        public async Task<RestartReport> KillDuringBidsAsync(FaultDrillOptions burst)
        {
            const string killPoint = "during a burst of bids";
            var listings = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => FaultDrill.CreateListingAsync(system, TimeSpan.FromDays(6))));
            bool Untouched(string key) => !listings.Any(listing => key.Contains(listing.ListingId, StringComparison.Ordinal));
            var before = await QuietContentsAsync();
            TakeAcknowledged();

            await using var traffic = await FaultDrill.Traffic.StartAsync(system, listings, burst);
            await Task.Delay(burst.Before);
            await redis.KillAsync();
            await redis.StartAgainAsync();
            await Task.Delay(burst.After);
            await traffic.StopBiddingAsync();
            var bids = await traffic.ReportAsync(killPoint, redis, expectClose: false);
            await system.WaitUntilServingAsync(TimeSpan.FromSeconds(60));

            var rest = before.Only(Untouched).Against((await RedisContents.TakeAsync(admin)).Only(Untouched));
            var findings = await Doctor.ExamineAsync(admin);
            var examples = rest.LostKeys.Concat(rest.DuplicatedKeys).Select(entry => entry.What)
                .Concat(findings.Invariants.Breaches.Values.SelectMany(found => found).Select(breach => breach.ToString())).Take(10).ToList();
            log.WriteLine($"{killPoint}: {bids.Acknowledged} bids acknowledged, statuses {bids.Statuses}");
            return new RestartReport(killPoint, bids.Acknowledged, bids.Acknowledged + rest.ComparedKeys.Values.Sum(),
                bids.Lost + rest.LostKeys.Count + bids.Gaps, bids.Duplicated + rest.DuplicatedKeys.Count, findings.Invariants.Count, examples);
        }

        /// <summary>Every key once two looks half a second apart agree: nothing is being written (the clock is paused between steps).</summary>
        private async Task<RedisContents> QuietContentsAsync()
        {
            var contents = await RedisContents.TakeAsync(admin);
            var changing = "";
            return await Waiting.EventuallyAsync("the system to stop writing with its clock paused", async () =>
            {
                await Task.Delay(500);
                var again = await RedisContents.TakeAsync(admin);
                var difference = contents.Against(again);
                contents = again;
                changing = string.Join("; ", difference.LostKeys.Concat(difference.DuplicatedKeys).Take(5).Select(entry => entry.What));
                return difference.LostKeys.Count == 0 && difference.DuplicatedKeys.Count == 0 ? again : null;
            }, TimeSpan.FromSeconds(30), TimeSpan.Zero, () => changing);
        }

        /// <summary>The cases and listings the clients were told of that the services no longer know.</summary>
        private async Task<IReadOnlyList<string>> MissingAsync(Told told)
        {
            var center = await Center;
            var missing = new List<string>();
            foreach (var caseId in told.CaseIds)
            {
                try
                {
                    await gateway.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = caseId }, center);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
                {
                    missing.Add($"case {caseId}: the clients were told of it, Quote does not know it");
                }
            }
            foreach (var listingId in told.ListingIds)
            {
                try
                {
                    await gateway.Auction.GetListingAsync(new GetListingRequest { ListingId = listingId }, center);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
                {
                    missing.Add($"listing {listingId}: the clients were told of it, Auction does not know it");
                }
            }
            return missing;
        }

        private long TakeAcknowledged()
        {
            var now = acknowledgements.Count;
            var since = now - _acknowledgedBefore;
            _acknowledgedBefore = now;
            return since;
        }

        private async Task<string> InfoAsync(string field)
        {
            var text = (string?)await admin.GetDatabase().ExecuteAsync("INFO", "persistence") ?? "";
            return text.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(line => line.StartsWith(field + ":", StringComparison.Ordinal))?[(field.Length + 1)..] ?? "";
        }

        private static string NewId() => Guid.NewGuid().ToString("N");
    }
}

/// <param name="Seed">The simulation's seed (the second lifecycle runs the next one).</param>
/// <param name="Days">Simulated days of each lifecycle (returns come in the first).</param>
/// <param name="Burst">The bidding of the burst: dealers, watchers, and how long before and after the kill.</param>
public sealed record RestartDrillOptions(int Seed, double Days, FaultDrillOptions Burst)
{
    /// <summary>The size the test suite runs.</summary>
    public static RestartDrillOptions Small { get; } = new(7, 3, FaultDrillOptions.Small);

    /// <summary>The size docs/faults.md reports.</summary>
    public static RestartDrillOptions Standard { get; } = new(7, 8, FaultDrillOptions.Standard);
}
