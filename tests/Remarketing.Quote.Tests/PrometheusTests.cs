using Remarketing.Contracts.Common.V1;

namespace Remarketing.Quote.Tests;

/// <summary>
/// Debian's Prometheus scrapes every process of the running system (each one's /metrics on its
/// health port) with the alert rules the system ships (deploy/prometheus/alerts.yml), and an
/// alert fires when a hand-off fails and stops once the center has put it right.
/// </summary>
[Trait("Category", "System")]
[Collection(LifecycleCollection.Name)]
public sealed class PrometheusTests(LifecycleSystemFixture system)
{
    private static readonly string[] EveryService = ["auction", "gateway", "inspection", "quote", "transport"];

    [Fact]
    public async Task Prometheus_ScrapesEveryProcess_AndHandOffFailedFires_UntilTheCenterCorrectsAndReplaysIt()
    {
        var rulesChecked = await PrometheusServer.CheckRulesAsync(PrometheusServer.ShippedRules);
        await using var prometheus = await PrometheusServer.StartAsync(system.System.HealthAddresses, PrometheusServer.ShippedRules);
        var scraped = await Waiting.EventuallyAsync("every process scraped", async () =>
        {
            var targets = await prometheus.TargetsAsync();
            return targets.Count == system.System.HealthAddresses.Count && targets.All(target => target.Health == "up") ? targets : null;
        }, lastSeen: () => prometheus.Output);
        var quietAtFirst = await prometheus.AlertsAsync();

        var (_, returned) = await system.ReturnAsync("D-PROM", matured: true);
        var statement = returned.Odometer.OdometerMiles;
        // 5,000 mi below the signed statement: Quote refuses the inspector's result every time it is sent.
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(statement - 5_000));
        var failed = await Waiting.EventuallyAsync("the refused result in Inspection's failed stream", async () =>
            (await system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("inspection", system.Center))).HandOffs
                .FirstOrDefault(handOff => handOff.RequestJson.Contains(returned.CaseId, StringComparison.Ordinal)));
        var firing = await Waiting.EventuallyAsync("HandOffFailed firing for inspection", async () =>
            (await prometheus.AlertsAsync()).Where(alert => alert is { Name: "HandOffFailed", State: "firing" } && alert.Labels["service"] == "inspection")
                .Select(alert => alert.Labels).FirstOrDefault());
        var gatewayCalls = await prometheus.QueryAsync("""sum by (status) (remarketing_rpc_server_duration_seconds_count{service="gateway"})""");
        var refusals = await prometheus.QueryAsync("""sum(remarketing_handoffs_attempts_failed_total{service="inspection",status="FailedPrecondition"})""");

        await system.Quote.RecordOdometerAsync(new RecordOdometerRequest { RequestId = NewId(), CaseId = returned.CaseId, OdometerMiles = statement - 5_000 }, system.Center);
        await system.HandOffs.ReplayHandOffAsync(new ReplayHandOffRequest { RequestId = NewId(), EntryId = failed.EntryId }, ServiceMetadata.For("inspection", system.Center));
        await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        await Waiting.EventuallyAsync("HandOffFailed no longer firing once the center replayed the result", async () =>
            !(await prometheus.AlertsAsync()).Any(alert => alert.Name == "HandOffFailed"));

        Assert.True(rulesChecked.ExitCode == 0, rulesChecked.Output);
        Assert.Equal(EveryService, scraped.Select(target => target.Service).Order());
        Assert.DoesNotContain(quietAtFirst, alert => alert.State == "firing");
        Assert.Equal("page", firing["severity"]);
        Assert.Contains(gatewayCalls, sample => sample.Labels["status"] == "OK" && sample.Value > 0);
        Assert.True(Assert.Single(refusals).Value >= 1);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
