using System.Globalization;

namespace Remarketing.Testing;

/// <summary>What a running process says on its /metrics (Prometheus' text, on its health port).</summary>
public static class ProcessMetrics
{
    /// <summary>
    /// The sum of <paramref name="metric"/>'s series (those with <paramref name="operation"/> as their
    /// operation label, if given) at <paramref name="healthAddress"/>. The exporter serves one reading
    /// for up to 300 ms: a caller comparing two readings waits that long between them.
    /// </summary>
    public static async Task<double> SumAsync(HttpClient http, Uri healthAddress, string metric, string? operation = null)
    {
        var text = await http.GetStringAsync(new Uri(healthAddress, "/metrics"));
        return text.Split('\n')
            .Where(line => (line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
                && (operation is null || line.Contains($"operation=\"{operation}\"", StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }
}
