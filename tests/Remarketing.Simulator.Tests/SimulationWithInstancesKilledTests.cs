using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Remarketing.Simulator.Tests;

/// <summary>
/// The same run on two processes of every service and of the gateway, as <c>./run.sh --instances 2</c>
/// starts them, with one instance after another killed (SIGKILL) and started again while it runs:
/// each kind of process in turn, which of its two at random. The simulated people call through both
/// gateways, retry Unavailable with the same request and resume their streams; everything the
/// undisturbed run must show, this one must show too: no error, each listing closed once, every
/// hand-off delivered, totals as the services hold them, one clock.
/// </summary>
[Trait("Category", "System")]
[Collection(SimulatedRuns.Name)]
public sealed class SimulationWithInstancesKilledTests(SimulationWithInstancesKilledTests.Run run, ITestOutputHelper log)
    : SimulationChecks<SimulationWithInstancesKilledTests.Run>(run, log), IClassFixture<SimulationWithInstancesKilledTests.Run>
{
    private static readonly string[] Kinds = ["quote", "inspection", "auction", "transport", "gateway"];

    public sealed class Run : SimulatedRun
    {
        /// <summary>Real time between one instance serving again and the next kill.</summary>
        private static readonly TimeSpan Between = TimeSpan.FromSeconds(3);

        private readonly ConcurrentQueue<string> _killed = new();

        protected override int Instances => 2;

        /// <summary>
        /// A hand-off sender's lease outlives a killed holder by 3 × (call timeout + poll interval):
        /// 30 s with the default 10 s timeout, five simulated days at this speed. A 1 s timeout (a
        /// call on loopback answers in milliseconds) makes it 3.3 s, 14 simulated hours.
        /// </summary>
        protected override IReadOnlyDictionary<string, string> Settings =>
            new Dictionary<string, string>(base.Settings) { ["HandOffs:CallTimeout"] = "00:00:01" };

        /// <summary>
        /// Longer than the undisturbed run: each restart takes a core for a second or two, and at
        /// 15,000 times real time every second the machine is busy is four simulated hours the bots
        /// act later, so the last vehicles need more simulated days to reach the end of their paths.
        /// </summary>
        protected override TimeSpan Duration => TimeSpan.FromDays(20);

        /// <summary>
        /// Which paths a vehicle takes depends on when its people act (a purchase within the hold, an
        /// extension before the lease ends), and with restarts on a busy machine they act late by
        /// simulated days: what must hold is that whatever happened, every service agrees on it.
        /// </summary>
        public override bool ReachesEveryPath => false;

        /// <summary>The instances killed, in order.</summary>
        public IReadOnlyList<string> Killed => [.. _killed];

        /// <summary>
        /// Kills during the first 16 of the 20 days: the last four (about 20 s of real time) let what
        /// a late kill held up land before the run is summed, as the undisturbed run's quiet last days do.
        /// </summary>
        protected override async Task WhileRunningAsync(CancellationToken done)
        {
            var random = new Random(Seed);
            var killing = Stopwatch.StartNew();
            var killFor = Duration * 0.8 / Speed;
            try
            {
                for (var kill = 0; killing.Elapsed < killFor; kill++)
                {
                    await Task.Delay(Between, done);
                    var kind = Kinds[kill % Kinds.Length];
                    var instance = random.Next(2) == 0 ? kind : $"{kind}-2";
                    await System.KillAsync(instance);
                    _killed.Enqueue(instance);
                    await System.StartAgainAsync(instance);
                }
            }
            catch (OperationCanceledException) when (done.IsCancellationRequested)
            {
            }
        }
    }

    [Fact]
    public void EveryKindOfProcess_WasKilledWhileTheRunWentOn()
    {
        Log.WriteLine($"killed, in order: {string.Join(", ", Simulated.Killed)}; streams resumed after Unavailable: {Summary.Run.StreamsResumed}");
        Log.WriteLine(Summary.Outcome());
        Log.WriteLine(string.Join("\n", Summary.Run.LastErrors));

        Assert.All(Kinds, kind => Assert.Contains(Simulated.Killed, instance => instance == kind || instance.StartsWith(kind + "-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryServiceInstance_HoldsTheSameClock_AfterTheKills()
    {
        var clocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instance in Simulated.System.HealthAddresses.Keys.Where(instance => !instance.StartsWith("gateway", StringComparison.Ordinal)))
        {
            var health = await Simulated.System.HealthAsync(instance);
            clocks[instance] = health.GetProperty("checks").GetProperty("clock").GetProperty("description").GetString()!;
        }

        Assert.Equal(8, clocks.Count);
        Assert.True(clocks.Values.Distinct(StringComparer.Ordinal).Count() == 1, string.Join("\n", clocks.Select(clock => $"{clock.Key}: {clock.Value}")));
    }
}
