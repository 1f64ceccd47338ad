using System.Globalization;
using System.Text.RegularExpressions;

namespace Remarketing.Bench;

/// <summary>
/// One table from several runs of the same phases: every figure in a cell becomes its median with
/// the range across the runs, "9.3 (6.5–43.6)", so a single lucky or unlucky run cannot pass for the
/// system's figure. A figure that did not move is printed once.
/// </summary>
public static partial class RepeatedRuns
{
    /// <summary>
    /// A number as the bench writes one: "4,300", "9.3", "12", "-0.1" (a memory growth can be
    /// negative); a comma after a figure ("0, threads") is not part of it, nor a hyphen between two ("5-6").
    /// </summary>
    [GeneratedRegex(@"(?:(?<![\w.])-)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex Figure();

    /// <summary>
    /// The same cell from each run, combined; cells whose words differ between runs are each given
    /// as they were, one after another (never with a '|', which would start a new column of the table).
    /// </summary>
    public static string Combine(IReadOnlyList<string> cells)
    {
        var shapes = cells.Select(cell => Figure().Replace(cell, "#")).Distinct(StringComparer.Ordinal).Count();
        if (shapes != 1)
            return string.Join(" // ", cells);
        var figures = cells.Select(cell => Figure().Matches(cell).Select(match => match.Value).ToList()).ToList();
        var next = 0;
        return Figure().Replace(cells[0], _ =>
        {
            var slot = next++;
            return Spread([.. figures.Select(run => run[slot])]);
        });
    }

    private static string Spread(IReadOnlyList<string> written)
    {
        var values = written.Select(text => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).Order().ToList();
        var decimals = written.Max(text => text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0);
        var format = (written.Any(text => text.Contains(',', StringComparison.Ordinal)) ? "N" : "F") + decimals.ToString(CultureInfo.InvariantCulture);
        string Written(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        var middle = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        return values[0] == values[^1] ? Written(values[0]) : $"{Written(median)} ({Written(values[0])}–{Written(values[^1])})";
    }
}
