using System.Diagnostics;
using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// What the runtime of each measured process did, second by second, while a phase ran: read with
/// dotnet-counters (pinned by the checkout's tool manifest) from the runtime's event counters,
/// which give the thread pool's queue and threads as levels (its meters give them as changes).
/// A proxy's connections to its upstream are counted from the kernel's sockets (<c>ss</c>) every second.
/// </summary>
public sealed class RuntimeCounters
{
    private readonly List<(string Name, Process Collector, string File)> _collectors;
    private readonly Task<Dictionary<DateTime, int>> _connections;

    private RuntimeCounters(List<(string Name, Process Collector, string File)> collectors, Task<Dictionary<DateTime, int>> connections)
    {
        _collectors = collectors;
        _connections = connections;
    }

    /// <summary>
    /// Starts one collector per process, each for <paramref name="duration"/> (none when dotnet-counters
    /// cannot be restored), and counts <paramref name="proxy"/>'s established connections to <paramref name="upstreamPort"/> as long.
    /// </summary>
    public static async Task<RuntimeCounters> StartAsync(IReadOnlyDictionary<string, int> processes, TimeSpan duration, int proxy, int upstreamPort)
    {
        var collectors = new List<(string, Process, string)>();
        var connections = CountConnectionsAsync(proxy, upstreamPort, duration);
        if (!ProcessMemory.CanForceGc)
            return new RuntimeCounters(collectors, connections);
        foreach (var (name, processId) in processes)
        {
            var file = Path.Combine(Path.GetTempPath(), $"bench-counters-{processId}-{Guid.NewGuid():N}.csv");
            var start = new ProcessStartInfo("dotnet",
                ["tool", "run", "dotnet-counters", "--", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture),
                 "--counters", @"EventCounters\System.Runtime", "--refresh-interval", "1", "--format", "csv", "-o", file,
                 "--duration", duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            collectors.Add((name, Process.Start(start)!, file));
        }
        // A collector needs a moment to attach before the phase it watches starts.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new RuntimeCounters(collectors, connections);
    }

    /// <summary>The proxy's established TCP connections to the upstream port, once a second (its local time, to the second).</summary>
    private static async Task<Dictionary<DateTime, int>> CountConnectionsAsync(int proxy, int upstreamPort, TimeSpan duration)
    {
        var counts = new Dictionary<DateTime, int>();
        var owner = $"pid={proxy.ToString(CultureInfo.InvariantCulture)},";
        var until = Stopwatch.StartNew();
        while (until.Elapsed < duration)
        {
            var (_, sockets, _) = await Remarketing.Testing.Programs.RunAsync("ss", "-tnpH", "state", "established", "dport", "=", $":{upstreamPort.ToString(CultureInfo.InvariantCulture)}");
            var now = DateTime.Now;
            counts[new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, now.Kind)] = sockets.Split('\n').Count(line => line.Contains(owner, StringComparison.Ordinal));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return counts;
    }

    /// <summary>Waits for the collectors to end and reads what each recorded, by the name it was given; the proxy's connections go to <paramref name="proxyName"/>'s.</summary>
    public async Task<IReadOnlyDictionary<string, RuntimeTimeline>> ReadAsync(string proxyName)
    {
        var connections = await _connections;
        var timelines = new Dictionary<string, RuntimeTimeline>(StringComparer.Ordinal);
        foreach (var (name, collector, file) in _collectors)
        {
            await collector.StandardOutput.ReadToEndAsync();
            await collector.WaitForExitAsync();
            collector.Dispose();
            if (!File.Exists(file))
                continue;
            var timeline = RuntimeTimeline.Parse(await File.ReadAllLinesAsync(file));
            timelines[name] = name != proxyName ? timeline : timeline with
            {
                Seconds = [.. timeline.Seconds.Select(second => second with { Http2Connections = connections.GetValueOrDefault(second.At) })],
            };
            File.Delete(file);
        }
        return timelines;
    }
}

/// <summary>One process's runtime, a sample per second (the collector's local time, to the second).</summary>
public sealed record RuntimeTimeline(IReadOnlyList<RuntimeSecond> Seconds)
{
    /// <summary>Reads dotnet-counters' CSV of the runtime's event counters: "Timestamp,Provider,Counter Name,Counter Type,Mean/Increment".</summary>
    public static RuntimeTimeline Parse(IEnumerable<string> csv)
    {
        var seconds = new SortedDictionary<DateTime, RuntimeSecond>();
        foreach (var line in csv.Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length < 5 || !DateTime.TryParseExact(fields[0], "MM/dd/yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
                || !double.TryParse(fields[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                continue;
            var counter = string.Join(',', fields[2..^2]);
            var second = seconds.TryGetValue(at, out var seen) ? seen : new RuntimeSecond(at);
            seconds[at] = counter switch
            {
                "Time paused by GC (ms / 1 sec)" => second with { GcPauseSeconds = value / 1000 },
                _ when counter.StartsWith("Gen ", StringComparison.Ordinal) && counter.Contains(" GC Count", StringComparison.Ordinal)
                    => second with { GcCollections = second.GcCollections + value },
                "ThreadPool Queue Length" => second with { QueueLength = value },
                "ThreadPool Thread Count" => second with { Threads = value },
                "Monitor Lock Contention Count (Count / 1 sec)" => second with { LockContentions = value },
                "Allocation Rate (B / 1 sec)" => second with { AllocatedBytes = value },
                _ => second,
            };
        }
        return new RuntimeTimeline([.. seconds.Values]);
    }

    public RuntimeSecond? At(DateTime localSecond) => Seconds.FirstOrDefault(second => second.At == localSecond);

    /// <summary>
    /// The whole phase in one line: GC, the thread pool, contention, what was allocated for each of the
    /// <paramref name="callsPerSecond"/> calls and, for a proxy, its upstream HTTP/2 connections.
    /// </summary>
    public string Summary(double callsPerSecond)
    {
        if (Seconds.Count == 0)
            return "nothing recorded";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"GC {Seconds.Sum(second => second.GcCollections):0} collections, paused {Seconds.Sum(second => second.GcPauseSeconds) * 1000:0.0} ms in all, " +
            $"at most {Seconds.Max(second => second.GcPauseSeconds) * 1000:0.0} ms in one second; thread-pool queue at most {Seconds.Max(second => second.QueueLength):0}, " +
            $"threads from {Seconds.Min(second => second.Threads):0} to {Seconds.Max(second => second.Threads):0}; lock contentions {Seconds.Sum(second => second.LockContentions):0}; " +
            $"allocated {Seconds.Average(second => second.AllocatedBytes) / 1e6:0.0} MB/s, {Seconds.Average(second => second.AllocatedBytes) / callsPerSecond / 1024:0.0} KiB per call");
        var connections = Seconds.Where(second => second.Http2Connections > 0).ToList();
        if (connections.Count > 0)
            text += string.Create(CultureInfo.InvariantCulture, $"; connections to the Auction service from {connections.Min(second => second.Http2Connections):0} to {connections.Max(second => second.Http2Connections):0}");
        return text;
    }
}

/// <summary>
/// One second of a process's runtime: GC pause time and collections in it, the thread pool's
/// queue and threads, lock contentions and bytes allocated in it, and (a proxy) its connections to the Auction service.
/// </summary>
public sealed record RuntimeSecond(
    DateTime At, double GcPauseSeconds = 0, double GcCollections = 0, double QueueLength = 0, double Threads = 0, double LockContentions = 0,
    double Http2Connections = 0, double AllocatedBytes = 0);
