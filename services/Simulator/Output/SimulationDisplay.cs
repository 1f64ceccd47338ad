using System.Globalization;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Simulator.Running;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Remarketing.Simulator.Output;

/// <summary>What a person sees while the simulation runs: the live view on a terminal, progress lines elsewhere.</summary>
public sealed class SimulationDisplay(Simulation simulation, TimeProvider realTime)
{
    private const int ListingRows = 12;

    private static readonly (Stage Stage, string Label)[] StageLabels =
    [
        (Stage.LeaseActive, "lease active, not returned yet"),
        (Stage.HeldForDealerPurchase, "held for a dealer purchase (72 h)"),
        (Stage.AwaitingInspection, "awaiting inspection"),
        (Stage.WithRemarketingCenter, "in the remarketing center's queue"),
        (Stage.Inspected, "inspected, awaiting listing or pickup"),
        (Stage.Listed, "listed on SmartAuction"),
        (Stage.AwaitingPickup, "awaiting pickup"),
        (Stage.InTransit, "released, in transit"),
        (Stage.Delivered, "delivered (sold, or for the physical auction)"),
        (Stage.SoldAtPhysicalAuction, "sold at the physical auction"),
        (Stage.BoughtByDealer, "bought by the grounding dealer"),
    ];

    private readonly long _began = realTime.GetTimestamp();

    public IRenderable Render()
    {
        var now = simulation.Clock.Now;
        var seen = simulation.Seen;
        var stages = seen.StageCounts(out var waiting, now);
        var market = seen.Market();
        var (sold, unsold) = Closed(market);

        var header = new Markup(
            $"[bold]Remarketing simulation[/]  seed {simulation.Settings.Seed}, {simulation.Settings.Dealers} buying dealers, " +
            $"{simulation.Settings.ReturnsPerDay.ToString("0.##", CultureInfo.InvariantCulture)} returns a day, {Pace()}\n" +
            $"[bold]{now:yyyy-MM-dd HH:mm}[/] simulated ({Elapsed(now)}), {realTime.GetElapsedTime(_began):hh\\:mm\\:ss} real" +
            (simulation.Behind > TimeSpan.FromHours(1) ? $"  [yellow]running {Money.TimeLeft(simulation.Behind)} behind the clock[/]" : "") +
            "   Ctrl-C ends the run and writes the summary");

        var stageTable = new Table().Border(TableBorder.Rounded).Title("vehicles by stage");
        stageTable.AddColumns("stage", "vehicles");
        stageTable.Columns[1].RightAligned();
        foreach (var (stage, label) in StageLabels)
            stageTable.AddRow(label, stages.GetValueOrDefault(stage).ToString(CultureInfo.InvariantCulture));

        var figures = new Table().Border(TableBorder.Rounded).Title("so far");
        figures.AddColumns("", "");
        figures.Columns[1].RightAligned();
        figures.AddRow("bids per second (real)", seen.BidsPerSecond().ToString("0.0", CultureInfo.InvariantCulture));
        figures.AddRow("bids sent / refused", $"{seen.BidsSubmitted} / {seen.BidsRejected}");
        figures.AddRow("bought now", seen.BuyNows.ToString(CultureInfo.InvariantCulture));
        figures.AddRow("soft-close extensions", seen.SoftCloseExtensions.ToString(CultureInfo.InvariantCulture));
        figures.AddRow("sold / unsold", $"[green]{sold}[/] / {unsold}");
        figures.AddRow("refused releases", seen.RefusalsThatChangedSomething == 0
            ? $"{seen.RefusedReleases} [grey](none changed anything)[/]"
            : $"{seen.RefusedReleases} [red]({seen.RefusalsThatChangedSomething} changed something!)[/]");
        figures.AddRow("vehicles waiting for a hand-off", waiting.ToString(CultureInfo.InvariantCulture));
        foreach (var service in simulation.HandOffs.Last)
            figures.AddRow($"{service.Service}: hand-offs pending / failed", service.Failed == 0 ? $"{service.Pending} / 0" : $"{service.Pending} / [red]{service.Failed}[/]");
        figures.AddRow("listings watched by bots", simulation.Watching.ToString(CultureInfo.InvariantCulture));
        figures.AddRow("errors", seen.Errors == 0 ? "0" : $"[red]{seen.Errors}[/]");
        figures.AddRow("streams resumed after Unavailable", seen.StreamsResumed.ToString(CultureInfo.InvariantCulture));
        figures.AddRow("steps too late (refused past their deadline)", seen.ActedTooLate.ToString(CultureInfo.InvariantCulture));

        var listings = MarketTable.Render(market, now, ListingRows, out var live);
        listings.Title($"live listings ({live})");
        var rows = new List<IRenderable> { header, new Columns(stageTable, figures) { Expand = false }, listings };
        if (seen.LastErrors() is { Count: > 0 } errors)
            rows.Add(new Panel(new Markup(string.Join("\n", errors.Select(Markup.Escape)))).Header("latest errors").BorderColor(Color.Red));
        return new Rows(rows);
    }

    /// <summary>One line of progress, for logs and CI.</summary>
    public string PlainLine()
    {
        var now = simulation.Clock.Now;
        var seen = simulation.Seen;
        var stages = seen.StageCounts(out var waiting, now);
        var (sold, unsold) = Closed(seen.Market());
        var live = seen.Market().Count(listing => listing.State == ListingState.Live);
        return string.Create(CultureInfo.InvariantCulture,
            $"{now:yyyy-MM-dd HH:mm} ({Elapsed(now)}) | returned {stages.Where(stage => stage.Key != Stage.LeaseActive).Sum(stage => stage.Value)}, " +
            $"in inspection {stages.GetValueOrDefault(Stage.AwaitingInspection) + stages.GetValueOrDefault(Stage.WithRemarketingCenter)}, live listings {live}, " +
            $"sold {sold}, unsold {unsold}, bought by dealer {stages.GetValueOrDefault(Stage.BoughtByDealer)}, delivered {stages.GetValueOrDefault(Stage.Delivered)} | " +
            $"bids {seen.BidsSubmitted} ({seen.BidsPerSecond():0.0}/s) | refused releases {seen.RefusedReleases} | waiting for hand-offs {waiting} | " +
            $"hand-offs pending/failed {HandOffLine()} | errors {seen.Errors}, streams resumed {seen.StreamsResumed}");
    }

    private string Pace() => simulation.Settings.Step is { } step
        ? $"clock paused, moved on {DurationText.Format(step)} at a time"
        : $"clock {simulation.Clock.Speed.ToString("0.##", CultureInfo.InvariantCulture)}x";

    /// <summary>Each service's own count, e.g. "quote 0/0 inspection 1/0 auction 0/0 transport 0/0".</summary>
    private string HandOffLine() => simulation.HandOffs.Last is { Count: > 0 } services
        ? string.Join(" ", services.Select(service => $"{service.Service} {service.Pending}/{service.Failed}"))
        : "not read yet";

    private string Elapsed(DateTimeOffset now)
    {
        var elapsed = now - simulation.Start;
        var day = $"day {elapsed.TotalDays:0.0}";
        return simulation.Settings.Duration is { } duration ? $"{day} of {duration.TotalDays:0.#}" : day;
    }

    private static (int Sold, int Unsold) Closed(IReadOnlyList<Listing> market) =>
        (market.Count(listing => listing.State == ListingState.Sold), market.Count(listing => listing.State is ListingState.Unsold or ListingState.Withdrawn));
}
