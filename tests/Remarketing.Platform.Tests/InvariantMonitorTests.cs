using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Remarketing.ServiceDefaults.Invariants;

namespace Remarketing.Platform.Tests;

/// <summary>A service's invariants: checked, confirmed on a second look, and shown in health and metrics.</summary>
public sealed class InvariantMonitorTests
{
    [Fact]
    public async Task ABreachSeenTwice_IsDegraded_NamingIt_AndCounted()
    {
        var check = new ScriptedCheck("listings", [new Breach("listing L-1", "live but not in the closing index: it would never close")]);
        using var meters = new TestMeters();
        using var monitor = Monitor(meters, check);
        var measured = new List<(long Value, string Check)>();
        using var listener = Listen(meters, measured);

        await monitor.RunOnceAsync(CancellationToken.None);
        var health = await monitor.CheckHealthAsync(new HealthCheckContext());
        listener.RecordObservableInstruments();

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Matches(@"^1 breaches \(checked \d+ s ago; the doctor lists all\): listing L-1: live but not in the closing index: it would never close$", health.Description);
        Assert.Contains((1L, "listings"), measured);
    }

    [Fact]
    public async Task ABreachGoneOnTheSecondLook_WasAChangeUnderWay_AndIsNotReported()
    {
        var check = new ScriptedCheck("listings", [new Breach("listing L-1", "live but not in the live index: the market does not show it")]) { GoneOnSecondLook = true };
        using var meters = new TestMeters();
        using var monitor = Monitor(meters, check);

        var result = await monitor.RunOnceAsync(CancellationToken.None);
        var health = await monitor.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(0, result.Count);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.StartsWith("no breach of listings", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BeforeItsFirstRun_ItSaysWhatItWillCheck()
    {
        using var meters = new TestMeters();
        using var monitor = Monitor(meters, new ScriptedCheck("listings", []), new ScriptedCheck("pickup orders", []));

        var health = await monitor.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, "2 checks (listings, pickup orders), not run yet"), (health.Status, health.Description));
    }

    private static InvariantMonitor Monitor(TestMeters meters, params IInvariantCheck[] checks) =>
        new(checks, Microsoft.Extensions.Options.Options.Create(new InvariantOptions { ConfirmAfter = TimeSpan.Zero }), meters.Factory, NullLogger<InvariantMonitor>.Instance);

    private static MeterListener Listen(TestMeters meters, List<(long, string)> measured)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (meters.Made(instrument, InvariantMonitor.MeterName))
                    listening.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => measured.Add((value, (string)tags.ToArray().Single(tag => tag.Key == "check").Value!)));
        listener.Start();
        return listener;
    }

    private sealed class ScriptedCheck(string name, IReadOnlyList<Breach> found) : IInvariantCheck
    {
        private int _looks;

        public string Name => name;

        public bool GoneOnSecondLook { get; init; }

        public Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken) =>
            Task.FromResult(++_looks > 1 && GoneOnSecondLook ? [] : found);
    }
}
