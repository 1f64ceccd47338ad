using System.Diagnostics;

namespace Remarketing.Bench;

/// <summary>Latencies of one run, in Stopwatch ticks, and the figures the table shows.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count
    {
        get
        {
            lock (_ticks)
                return _ticks.Count;
        }
    }

    public void Add(long ticks)
    {
        lock (_ticks)
            _ticks.Add(ticks);
    }

    public void AddRange(IEnumerable<long> ticks)
    {
        lock (_ticks)
            _ticks.AddRange(ticks);
    }

    public double PercentileMs(double percentile)
    {
        lock (_ticks)
        {
            if (_ticks.Count == 0)
                return double.NaN;
            _ticks.Sort();
            var index = (int)Math.Ceiling(percentile / 100 * _ticks.Count) - 1;
            return _ticks[Math.Clamp(index, 0, _ticks.Count - 1)] * 1000.0 / Stopwatch.Frequency;
        }
    }
}

/// <summary>Resident memory of the system's processes, found by their assembly name.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(string assemblyName)
    {
        long total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!commandLine.Contains(assemblyName + ".dll", StringComparison.Ordinal))
                    continue;
                var line = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
            catch (IOException)
            {
                // The process ended while we read it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }
}
