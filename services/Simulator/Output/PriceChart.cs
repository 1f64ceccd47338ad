using Remarketing.Simulator.Running;
using ScottPlot;

namespace Remarketing.Simulator.Output;

/// <summary>
/// The run's chart (ScottPlot, PNG): the price over simulated time of the most contested
/// listings, and the bids per simulated hour, from the price changes the buyers' streams showed.
/// </summary>
public static class PriceChart
{
    public const int ListingsShown = 5;

    public static void Write(string path, DateTimeOffset start, IReadOnlyDictionary<string, IReadOnlyList<PricePoint>> history, IReadOnlyDictionary<string, string> names)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var prices = multiplot.GetPlot(0);
        var perHour = multiplot.GetPlot(1);

        foreach (var (listingId, points) in history.OrderByDescending(entry => entry.Value.Count).ThenBy(entry => entry.Key, StringComparer.Ordinal).Take(ListingsShown))
        {
            var line = prices.Add.ScatterLine(
                points.Select(point => (point.At - start).TotalDays).ToArray(),
                points.Select(point => point.PriceCents / 100.0).ToArray());
            line.LegendText = names.GetValueOrDefault(listingId, listingId);
            line.MarkerSize = 4;
            line.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        prices.Title($"Price of the {ListingsShown} most contested listings");
        prices.XLabel("simulated days since the start");
        prices.YLabel("price (US$)");
        prices.ShowLegend(Alignment.UpperLeft);

        var hours = history.Values.SelectMany(points => points)
            .GroupBy(point => (int)Math.Floor((point.At - start).TotalHours))
            .OrderBy(group => group.Key)
            .ToList();
        if (hours.Count > 0)
        {
            var bars = perHour.Add.Bars(hours.Select(group => group.Key / 24.0).ToArray(), hours.Select(group => (double)group.Count()).ToArray());
            foreach (var bar in bars.Bars)
                bar.Size = 1 / 24.0;
        }
        perHour.Title("Bids per simulated hour (price changes, proxy bids included)");
        perHour.XLabel("simulated days since the start");
        perHour.YLabel("bids");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        multiplot.SavePng(path, 1000, 900);
    }
}
