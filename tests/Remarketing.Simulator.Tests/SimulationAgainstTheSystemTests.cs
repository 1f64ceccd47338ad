using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;
using Xunit.Abstractions;

namespace Remarketing.Simulator.Tests;

/// <summary>
/// The simulator against the real system (processes, Redis, the gateway) for 14 simulated days:
/// returns for the first 3, then every vehicle finishes its path (the unsold and ineligible ones
/// through the physical auction). What the simulator saw and summed must be what the services hold.
/// </summary>
[Trait("Category", "System")]
[Collection(SimulatedRuns.Name)]
public sealed class SimulationAgainstTheSystemTests(SimulationAgainstTheSystemTests.Run run, ITestOutputHelper log)
    : SimulationChecks<SimulationAgainstTheSystemTests.Run>(run, log), IClassFixture<SimulationAgainstTheSystemTests.Run>
{
    /// <summary>One Redis, one process of each kind, nothing killed.</summary>
    public sealed class Run : SimulatedRun;

    [Fact]
    public void NoStreamEndedUnavailable_WhenNothingWentAway() => Assert.Equal(0, Summary.Run.StreamsResumed);
}

/// <summary>The simulated runs, one after the other: each runs a whole system flat out on the machine's cores.</summary>
[CollectionDefinition(Name)]
public sealed class SimulatedRuns
{
    public const string Name = "simulated runs";
}

/// <summary>The system, and one run of the simulator on it that every check looks at.</summary>
public abstract class SimulatedRun : SimulatorSystemFixture
{
    public const int Seed = 7;

    public SimulationSummary Summary { get; private set; } = null!;

    public IReadOnlyList<VehicleStory> Stories { get; private set; } = null!;

    /// <summary>The services' hand-offs as the simulator last read them (for the live view).</summary>
    public IReadOnlyList<HandOffState> HandOffs { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var output = Path.Combine(Path.GetTempPath(), "remarketing-simulator-tests", Guid.NewGuid().ToString("N"));
        var settings = Run(Seed, duration: Duration, returnsFor: TimeSpan.FromDays(3), returnsPerDay: 14, dealers: 10, output);
        using var gateway = new Gateway(settings.Gateways, settings.GatewaysHttp);
        var reading = await new ClockService.ClockServiceClient(System.GatewayChannel()).GetClockAsync(new GetClockRequest(), System.Tokens.Bearer("RC-1", RoleNames.Remarketing));
        var simulation = new Simulation(gateway, RunningClock.From(reading), settings, TimeProvider.System);
        using var done = new CancellationTokenSource();
        var faults = WhileRunningAsync(done.Token);
        try
        {
            Summary = await simulation.RunAsync(TimeProvider.System, CancellationToken.None);
        }
        finally
        {
            await done.CancelAsync();
            await faults;
        }
        Stories = simulation.Seen.Stories();
        HandOffs = simulation.HandOffs.Last;
    }

    /// <summary>
    /// 14 days: the last returns (day 3) whose 72-hour hold lapses are inspected and listed by about
    /// day 8, and their 6-day windows end by day 14 (at 12 one was once still live).
    /// </summary>
    protected virtual TimeSpan Duration => TimeSpan.FromDays(14);

    /// <summary>Whether the run must show every path of the process (a seeded scenario on a system left alone does).</summary>
    public virtual bool ReachesEveryPath => true;

    /// <summary>What happens to the system while the simulation runs, until <paramref name="done"/>: nothing, unless overridden.</summary>
    protected virtual Task WhileRunningAsync(CancellationToken done) => Task.CompletedTask;
}

/// <summary>What must hold after a simulated run, whatever happened to the system during it.</summary>
public abstract class SimulationChecks<TRun>(TRun run, ITestOutputHelper log) where TRun : SimulatedRun
{
    private readonly SimulationSummary _summary = run.Summary;
    private readonly IReadOnlyList<VehicleStory> _stories = run.Stories;
    private readonly SimulatorSystemFixture _system = run;

    protected SimulationSummary Summary => _summary;

    protected TRun Simulated => run;

    protected ITestOutputHelper Log => log;

    private Metadata Center => _system.System.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    [Fact]
    public void TheSummary_AddsUp_AndTheRunMadeNoErrors()
    {
        log.WriteLine(_summary.Outcome());

        Assert.True(_summary.Run.Errors == 0, string.Join("\n", _summary.Run.LastErrors));
        Assert.Equal(_summary.Paths.AccountsOpened, _summary.Stages.Values.Sum());
        Assert.Equal(_stories.Count, _summary.Paths.AccountsOpened);
        Assert.Equal(_stories.Count(story => story.CaseId is not null), _summary.Paths.Returned);
        var auction = _summary.Auction;
        Assert.Equal(auction.ListingsSeen, auction.Sold + auction.Unsold + auction.StillLive);
        Assert.Equal(auction.Sold == 0 ? 0 : auction.SalesTotalCents / auction.Sold, auction.AverageSalePriceCents);
    }

    [Fact]
    public async Task Vehicles_ReachEveryFinalState_AsTheServicesHaveIt()
    {
        var quote = new QuoteService.QuoteServiceClient(_system.System.GatewayChannel());
        var statuses = new Dictionary<string, CaseStatus>(StringComparer.Ordinal);
        foreach (var story in _stories.Where(story => story.CaseId is not null))
            statuses[story.CaseId!] = await quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = story.CaseId }, Center);
        bool Reached(VehicleStory story, CaseStep step) => statuses[story.CaseId!].Events.Any(@event => @event.Step == step);

        var bought = _stories.Where(story => story.Path == LifecyclePath.BoughtByDealer).ToList();
        var soldAndPickedUp = _stories.Where(story => story.Path == LifecyclePath.SoldAndPickedUp).ToList();
        var unsoldAndTransported = _stories.Where(story => story.Path == LifecyclePath.UnsoldAndTransported).ToList();
        var ineligible = _stories.Where(story => story.Path == LifecyclePath.IneligibleAndTransported).ToList();
        var queued = _stories.Where(story => story.QueuedForRemarketingCenter).ToList();
        var soldAtPhysicalAuction = _stories.Where(story => story.Stage == Stage.SoldAtPhysicalAuction).ToList();

        if (run.ReachesEveryPath)
            Assert.All([bought, soldAndPickedUp, unsoldAndTransported, ineligible, queued, soldAtPhysicalAuction], path => Assert.NotEmpty(path));
        Assert.All(bought, story => Assert.Equal(ReturnCaseState.Purchased, statuses[story.CaseId!].State));
        Assert.All(soldAndPickedUp, story =>
        {
            Assert.Equal(ReturnCaseState.Settled, statuses[story.CaseId!].State);
            Assert.True(Reached(story, CaseStep.Sold) && Reached(story, CaseStep.Released) && Reached(story, CaseStep.Delivered), string.Join(", ", statuses[story.CaseId!].Events.Select(e => e.Step)));
        });
        // Quote keeps one auction result per case: the physical auction's sale takes the place of SmartAuction's "did not sell".
        bool SoldInTheLane(VehicleStory story) => statuses[story.CaseId!].Events.Any(@event => @event.Step == CaseStep.Sold && @event.Reference.StartsWith("LANE-", StringComparison.Ordinal));
        Assert.All(unsoldAndTransported, story => Assert.True(
            (story.Stage == Stage.SoldAtPhysicalAuction ? SoldInTheLane(story) : Reached(story, CaseStep.Unsold)) && Reached(story, CaseStep.CarrierAssigned) && Reached(story, CaseStep.Delivered)));
        Assert.All(ineligible, story => Assert.True(!Reached(story, CaseStep.Listed) && Reached(story, CaseStep.Delivered)));
        Assert.All(queued, story => Assert.True(Reached(story, CaseStep.QueuedForRemarketingCenter)));
        // Delivered unsold or not eligible, then sold in the physical auction's lane: the center's record settles the case.
        Assert.All(soldAtPhysicalAuction, story => Assert.True(statuses[story.CaseId!].State == ReturnCaseState.Settled && SoldInTheLane(story) && Reached(story, CaseStep.Delivered)));
        Assert.Equal(_summary.Paths.SoldAtPhysicalAuction, soldAtPhysicalAuction.Count);
        Assert.Equal(_summary.Paths.BoughtByDealer, statuses.Values.Count(status => status.State == ReturnCaseState.Purchased));
        Assert.Equal(0, _summary.Run.Errors);
    }

    [Fact]
    public async Task TheLiveView_ReadsEachServicesHandOffs_AsTheServiceReportsThem()
    {
        Assert.Equal(HandOffWatch.Services, run.HandOffs.Select(service => service.Service));
        var handOffs = new HandOffService.HandOffServiceClient(_system.System.GatewayChannel());
        var quote = await handOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("quote", Center));
        var transport = await handOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("transport", Center));
        Assert.Equal(quote.HandOffs.Count, run.HandOffs[0].Failed);
        Assert.Equal(transport.HandOffs.Count, run.HandOffs[3].Failed);
        Assert.All(run.HandOffs, service => Assert.Equal(0, service.Failed));
    }

    [Fact]
    public async Task RefusedReleases_ChangedNothing_AndAreTheOnesTransportRecorded()
    {
        var transport = new TransportService.TransportServiceClient(_system.System.GatewayChannel());
        var orders = new List<PickupOrder>();
        var page = "";
        do
        {
            var listed = await transport.ListPickupOrdersAsync(new ListPickupOrdersRequest { Page = new() { PageSize = 200, PageToken = page } }, Center);
            orders.AddRange(listed.Orders);
            page = listed.Page.NextPageToken;
        }
        while (page.Length > 0);

        Assert.True(!run.ReachesEveryPath || _summary.Releases.RefusedReleases > 0, "the scenario has pickers showing the wrong document first");
        Assert.Equal(0, _summary.Releases.RefusalsThatChangedSomething);
        Assert.Equal(_summary.Releases.RefusedReleases, orders.Sum(order => order.RefusedReleaseCount));
        // Every order refused once was still released exactly once, against its own document.
        Assert.All(orders.Where(order => order.RefusedReleaseCount > 0), order => Assert.True(order.State is PickupOrderState.Released or PickupOrderState.Delivered));
        Assert.Equal(_summary.Releases.Released, orders.Count(order => order.State is PickupOrderState.Released or PickupOrderState.Delivered));
        Assert.Equal(_summary.Releases.Delivered, orders.Count(order => order.State == PickupOrderState.Delivered));
    }

    [Fact]
    public async Task TheSimulatorsTotals_AreWhatTheServicesReport()
    {
        var auction = new AuctionService.AuctionServiceClient(_system.System.GatewayChannel());
        var quote = new QuoteService.QuoteServiceClient(_system.System.GatewayChannel());
        var results = new List<Listing>();
        var page = "";
        do
        {
            var listed = await auction.ListResultsAsync(new ListResultsRequest { Page = new() { PageSize = 200, PageToken = page } }, Center);
            results.AddRange(listed.Listings);
            page = listed.Page.NextPageToken;
        }
        while (page.Length > 0);
        var sold = results.Where(listing => listing.State == ListingState.Sold).ToList();

        Assert.Equal(0, _summary.Auction.StillLive);
        Assert.Equal(sold.Count, _summary.Auction.Sold);
        Assert.Equal(results.Count(listing => listing.State is ListingState.Unsold or ListingState.Withdrawn), _summary.Auction.Unsold);
        Assert.Equal(sold.Sum(listing => listing.Outcome.SalePriceCents), _summary.Auction.SalesTotalCents);

        long balances = 0, deposits = 0;
        var final = 0;
        foreach (var story in _stories.Where(story => story.CaseId is not null))
        {
            var status = await quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = story.CaseId }, Center);
            if (status.State is not (ReturnCaseState.Settled or ReturnCaseState.Purchased))
                continue;
            var settlement = await quote.GetSettlementAsync(new GetSettlementRequest { CaseId = story.CaseId }, Center);
            Assert.True(settlement.Final);
            final++;
            balances += settlement.BalanceCents;
            deposits -= settlement.LineItems.Where(line => line.Code == "security_deposit").Sum(line => line.AmountCents);
        }
        Assert.Equal((final, 0, balances, deposits), (_summary.Settlements.Final, _summary.Settlements.NotFinalYet, _summary.Settlements.TotalBalanceCents, _summary.Settlements.DepositsRefundedCents));
        Assert.True(final > 0 && deposits > 0);
    }
}
