using System.Globalization;
using System.Text.Json;
using Remarketing.Simulator.Running;
using Spectre.Console;

namespace Remarketing.Simulator.Output;

/// <summary>The end of a run: the summary table on the console, and the same as JSON with the chart under the output directory.</summary>
public static class SummaryReport
{
    public static Table Table(SimulationSummary summary)
    {
        var paths = summary.Paths;
        var auction = summary.Auction;
        var table = new Table().Border(TableBorder.Rounded).Title("simulation summary");
        table.AddColumns("", "");
        table.Columns[1].RightAligned();
        void Row(string what, string value) => table.AddRow(Markup.Escape(what), Markup.Escape(value));
        string N(long number) => number.ToString("N0", CultureInfo.InvariantCulture);

        var pace = summary.Run.Step is { } step ? $"in {step} steps" : $"at {summary.Run.Speed:0.##}x";
        Row("simulated", $"{summary.Run.SimulatedStart:yyyy-MM-dd HH:mm} to {summary.Run.SimulatedEnd:yyyy-MM-dd HH:mm} ({(summary.Run.SimulatedEnd - summary.Run.SimulatedStart).TotalDays:0.0} days, {summary.Run.RealSeconds:0} s real {pace})");
        Row("seed, dealers, returns a day", $"{summary.Run.Seed}, {summary.Run.Dealers}, {summary.Run.ReturnsPerDay.ToString("0.##", CultureInfo.InvariantCulture)}");
        Row("lease accounts opened / returned", $"{N(paths.AccountsOpened)} / {N(paths.Returned)}");
        Row("path: bought by the grounding dealer", N(paths.BoughtByDealer));
        Row("path: sold and picked up by the buyer", N(paths.SoldAndPickedUp));
        Row("path: unsold, transported", N(paths.UnsoldAndTransported));
        Row("path: not auction eligible, transported", N(paths.IneligibleAndTransported));
        Row("  of these: sold at the physical auction", $"{N(paths.SoldAtPhysicalAuction)} ({Money.Format(auction.PhysicalAuctionSalesTotalCents)})");
        Row("still under way", N(paths.StillUnderWay));
        Row("went through the remarketing center's queue", N(paths.ThroughRemarketingCenterQueue));
        Row("dealer-purchase holds that lapsed", N(paths.DealerPurchaseHoldsLapsed));
        Row("listings: sold / unsold / still live", $"{N(auction.Sold)} / {N(auction.Unsold)} / {N(auction.StillLive)}");
        Row("sell-through", Money.Percent(auction.SellThroughBasisPoints));
        Row("average sale price / average floor", $"{Money.Dollars(auction.AverageSalePriceCents)} / {Money.Dollars(auction.AverageFloorOfSoldCents)} ({Money.Percent(auction.SalePriceToFloorBasisPoints)} of floor)");
        Row("sales total", Money.Format(auction.SalesTotalCents));
        Row("bids sent (refused) / bought now / soft-close extensions", $"{N(auction.BidsSubmitted)} ({N(auction.BidsRejected)}) / {N(auction.BuyNows)} / {N(auction.SoftCloseExtensions)}");
        Row("final settlements (not final yet)", $"{N(summary.Settlements.Final)} ({N(summary.Settlements.NotFinalYet)})");
        Row("settlement balances (owed + / refunded -)", Money.Format(summary.Settlements.TotalBalanceCents));
        Row("security deposits refunded", Money.Format(summary.Settlements.DepositsRefundedCents));
        Row("released / delivered", $"{N(summary.Releases.Released)} / {N(summary.Releases.Delivered)}");
        Row("releases refused (wrong document) / that changed anything", $"{N(summary.Releases.RefusedReleases)} / {N(summary.Releases.RefusalsThatChangedSomething)}");
        Row("errors / streams resumed after Unavailable / steps too late", $"{N(summary.Run.Errors)} / {N(summary.Run.StreamsResumed)} / {N(summary.Run.ActedTooLate)}");
        return table;
    }

    /// <summary>Writes <c>summary-&lt;seed&gt;-&lt;start&gt;.json</c> and the chart beside it; their paths.</summary>
    public static (string Json, string Chart) Write(SimulationSummary summary, Simulation simulation, string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"summary-{summary.Run.Seed}-{summary.Run.SimulatedStart:yyyyMMdd-HHmmss}");
        var json = stem + ".json";
        File.WriteAllText(json, JsonSerializer.Serialize(summary, SimulationSummary.Json));
        var chart = stem + ".png";
        var names = simulation.Seen.Market().ToDictionary(
            listing => listing.ListingId,
            listing => $"{listing.Vehicle?.ModelYear} {listing.Vehicle?.Make} {listing.Vehicle?.Model}" +
                (listing.State == Remarketing.Contracts.Auction.V1.ListingState.Sold ? $" (sold {Money.Dollars(listing.Outcome.SalePriceCents)})" : ""),
            StringComparer.Ordinal);
        PriceChart.Write(chart, simulation.Start, simulation.Seen.PriceHistory(), names);
        return (json, chart);
    }
}
