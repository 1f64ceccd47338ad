using System.Globalization;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Xunit.Abstractions;

namespace Remarketing.Simulator.Tests;

/// <summary>
/// Stepped runs (the simulator pauses the shared clock and moves it on itself) against the real
/// system: the same seed on two fresh systems whose clocks start at the same instant gives the
/// same summary; another seed, run after the first on the same system, gives another, and leaves
/// the listings the first run left live alone; the command line's stepped run gives the clock its
/// speed back.
/// </summary>
[Trait("Category", "System")]
public sealed class SteppedRunsTests(SteppedRunsTests.Runs runs, ITestOutputHelper log) : IClassFixture<SteppedRunsTests.Runs>
{
    /// <summary>Three stepped runs: seed 7 then seed 8 on one system, seed 7 again on a second one.</summary>
    public sealed class Runs : IAsyncLifetime
    {
        public const int Seed = 7;
        public const int OtherSeed = 8;

        // Both systems' clocks start here (the same instant for both), then run at real time until the simulator pauses them.
        private static readonly DateTimeOffset ClockStart = new(DateTimeOffset.UtcNow.UtcTicks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero);

        public SimulationSummary First { get; private set; } = null!;

        public SimulationSummary Repeated { get; private set; } = null!;

        public SimulationSummary OtherSeedRun { get; private set; } = null!;

        /// <summary>The first run's listings still live at its end: their bid counts then, and after the other seed's run.</summary>
        public IReadOnlyDictionary<string, (int Before, int After)> LeftLive { get; private set; } = new Dictionary<string, (int, int)>();

        /// <summary>A stepped run from the command line (seed 9, a day) after the others: its exit, what it printed, the clock's speed after it.</summary>
        public (int Exit, string Printed, double SpeedAfter) FromTheCommandLine { get; private set; }

        public async Task InitializeAsync()
        {
            await using (var redis = await RedisServer.StartAsync())
            await using (var system = await RemarketingSystem.StartAsync(redis, Settings))
            {
                var (first, seen) = await RunAsync(system, Seed);
                First = first;
                var center = system.Tokens.Bearer("RC-1", RoleNames.Remarketing);
                var auction = new AuctionService.AuctionServiceClient(system.GatewayChannel());
                var live = seen.Market().Where(listing => listing.State == ListingState.Live).Select(listing => listing.ListingId).ToList();
                var before = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var id in live)
                    before[id] = (await auction.GetListingAsync(new GetListingRequest { ListingId = id }, center)).BidCount;

                (OtherSeedRun, _) = await RunAsync(system, OtherSeed);
                var left = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
                foreach (var id in live)
                    left[id] = (before[id], (await auction.GetListingAsync(new GetListingRequest { ListingId = id }, center)).BidCount);
                LeftLive = left;

                using var printed = new StringWriter();
                var output = Path.Combine(Path.GetTempPath(), "remarketing-simulator-tests", Guid.NewGuid().ToString("N"));
                var exit = await SimulatorCommand.InvokeAsync(
                    ["--gateway", system.GatewayGrpcAddress.ToString(), "--gateway-http", system.GatewayHttpAddress.ToString(), "--seed", "9", "--dealers", "3",
                     "--step", "2h", "--settle", "300ms", "--duration", "1d", "--plain", "--output", output], printed, printed);
                var clock = new ClockService.ClockServiceClient(system.GatewayChannel());
                FromTheCommandLine = (exit, printed.ToString(), (await clock.GetClockAsync(new GetClockRequest(), center)).Speed);
            }
            await using (var redis = await RedisServer.StartAsync())
            await using (var system = await RemarketingSystem.StartAsync(redis, Settings))
                (Repeated, _) = await RunAsync(system, Seed);
        }

        public Task DisposeAsync() => Task.CompletedTask;

        private static Dictionary<string, string> Settings => new()
        {
            ["Clock:Epoch"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["Clock:Start"] = ClockStart.ToString("O", CultureInfo.InvariantCulture),
            ["Clock:Speed"] = "1",
            ["HandOffs:PollInterval"] = "00:00:00.050",
            ["HandOffs:FirstBackoff"] = "00:00:00.100",
            ["HandOffs:MaxBackoff"] = "00:00:01",
            ["Quote:JobInterval"] = "00:00:00.100",
            ["Transport:JobInterval"] = "00:00:00.100",
            ["Auction:CloserInterval"] = "00:00:00.050",
        };

        /// <summary>5 simulated days in steps of 2 hours, returns in the first day.</summary>
        private static async Task<(SimulationSummary, Observations)> RunAsync(RemarketingSystem system, int seed)
        {
            var output = Path.Combine(Path.GetTempPath(), "remarketing-simulator-tests", Guid.NewGuid().ToString("N"));
            var settings = new SimulationSettings(
                system.GatewayGrpcAddresses, system.GatewayHttpAddresses, seed, Speed: null, ReturnsPerDay: 14, Dealers: 6,
                Duration: TimeSpan.FromDays(5), ReturnsFor: TimeSpan.FromDays(1), output, SimulationSettings.DefaultInspectionCompanies, Carriers: 2,
                Step: TimeSpan.FromHours(2), Settle: TimeSpan.FromMilliseconds(300));
            using var gateway = new Gateway(settings.Gateways, settings.GatewaysHttp);
            var clock = await SteppedClock.PauseAsync(gateway, settings.Step!.Value, CancellationToken.None);
            var simulation = new Simulation(gateway, clock, settings, TimeProvider.System);
            var summary = await simulation.RunAsync(TimeProvider.System, CancellationToken.None);
            // As the command line does: the clock runs again at its speed (1x here) after the run.
            await clock.ResumeAsync(CancellationToken.None);
            return (summary, simulation.Seen);
        }
    }

    [Fact]
    public void TheSameSeed_OnAFreshSystem_GivesTheSameSummary()
    {
        log.WriteLine(runs.First.Outcome());
        Assert.Equal(runs.First.Run.SimulatedStart, runs.Repeated.Run.SimulatedStart);
        Assert.True(runs.First.Paths.Returned > 0 && runs.First.Auction.ListingsSeen > 0 && runs.First.Auction.BidsSubmitted > 0, "the run did something worth comparing");
        // Which call failed, when one did (seen once in CI under load: 1 error, unnamed).
        Assert.True(runs.First.Run.Errors + runs.Repeated.Run.Errors == 0,
            $"errors: {string.Join("; ", runs.First.Run.LastErrors.Concat(runs.Repeated.Run.LastErrors))}");
        Assert.Equal(runs.First.Outcome(), runs.Repeated.Outcome());
    }

    [Fact]
    public void AnotherSeed_GivesAnotherSummary()
    {
        log.WriteLine(runs.OtherSeedRun.Outcome());
        Assert.Equal(0, runs.OtherSeedRun.Run.Errors);
        Assert.NotEqual(runs.First.Outcome(), runs.OtherSeedRun.Outcome());
    }

    [Fact]
    public void TheCommandLine_RunsStepped_AndGivesTheClockItsSpeedBack()
    {
        var (exit, printed, speedAfter) = runs.FromTheCommandLine;
        log.WriteLine(printed);

        Assert.Equal(0, exit);
        Assert.Contains("clock paused, moved on 2h at a time", printed, StringComparison.Ordinal);
        Assert.Contains("summary: ", printed, StringComparison.Ordinal);
        Assert.Equal(1, speedAfter);
    }

    [Fact]
    public void AnEarlierRunsListings_AreNotBidOn_ByALaterRun()
    {
        Assert.NotEmpty(runs.LeftLive);
        Assert.All(runs.LeftLive, listing => Assert.Equal(listing.Value.Before, listing.Value.After));
    }
}
