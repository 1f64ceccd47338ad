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
