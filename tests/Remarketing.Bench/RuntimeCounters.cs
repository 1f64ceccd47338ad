using System.Diagnostics;
using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// What the runtime of each measured process did while a phase ran: second by second with
/// dotnet-counters from the runtime's event counters, which give the thread pool's queue and
/// threads as levels (its meters give them as changes); and with dotnet-trace from the runtime's
/// GC events, every pause with its exact start and end and an allocation sample every 100 KB with
/// the type allocated (both tools pinned by the checkout's tool manifest). A proxy's connections to
/// its upstream are counted from the kernel's sockets (<c>ss</c>) every second.
/// </summary>
public sealed class RuntimeCounters
{
    /// <summary>The runtime's GC events (keyword 0x1) at the verbose level, which adds the allocation samples.</summary>
    private const string GcEvents = "Microsoft-Windows-DotNETRuntime:0x1:5";

    private readonly List<Collector> _collectors;
    private readonly Task<Dictionary<DateTime, int>> _connections;

    private sealed record Collector(string Name, Process Counters, string CountersFile, Process Trace, string TraceFile);

    private RuntimeCounters(List<Collector> collectors, Task<Dictionary<DateTime, int>> connections)
    {
        _collectors = collectors;
        _connections = connections;
    }

    /// <summary>
    /// Starts the collectors of each process, each for <paramref name="duration"/> (none when the tools
    /// cannot be restored), and counts <paramref name="proxy"/>'s established connections to <paramref name="upstreamPort"/> as long.
    /// </summary>
    public static async Task<RuntimeCounters> StartAsync(IReadOnlyDictionary<string, int> processes, TimeSpan duration, int proxy, int upstreamPort)
    {
        var collectors = new List<Collector>();
        var connections = CountConnectionsAsync(proxy, upstreamPort, duration);
        if (!ProcessMemory.CanForceGc)
            return new RuntimeCounters(collectors, connections);
        var lasting = duration.ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
        foreach (var (name, processId) in processes)
        {
            var pid = processId.ToString(CultureInfo.InvariantCulture);
            var countersFile = Path.Combine(Path.GetTempPath(), $"bench-counters-{pid}-{Guid.NewGuid():N}.csv");
            var traceFile = Path.Combine(Path.GetTempPath(), $"bench-gc-{pid}-{Guid.NewGuid():N}.nettrace");
            collectors.Add(new Collector(name,
                StartTool("dotnet-counters", "collect", "-p", pid, "--counters", @"EventCounters\System.Runtime", "--refresh-interval", "1",
                    "--format", "csv", "-o", countersFile, "--duration", lasting),
                countersFile,
                StartTool("dotnet-trace", "collect", "-p", pid, "--providers", GcEvents, "-o", traceFile, "--duration", lasting),
                traceFile));
        }
        // A collector needs a moment to attach before the phase it watches starts.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return new RuntimeCounters(collectors, connections);
    }

    private static Process StartTool(string tool, params string[] arguments) =>
        Process.Start(new ProcessStartInfo("dotnet", ["tool", "run", tool, "--", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // dotnet-trace reads its console for a key that stops it early: give it none.
            RedirectStandardInput = true,
        })!;

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
        foreach (var collector in _collectors)
        {
            foreach (var tool in new[] { collector.Counters, collector.Trace })
            {
                await Task.WhenAll(tool.StandardOutput.ReadToEndAsync(), tool.StandardError.ReadToEndAsync());
                await tool.WaitForExitAsync();
                tool.Dispose();
            }
            if (!File.Exists(collector.CountersFile))
                continue;
            var timeline = RuntimeTimeline.Parse(await File.ReadAllLinesAsync(collector.CountersFile));
            File.Delete(collector.CountersFile);
            if (File.Exists(collector.TraceFile))
            {
                timeline = timeline with { Gc = GcTrace.Read(collector.TraceFile) };
                File.Delete(collector.TraceFile);
            }
            timelines[collector.Name] = collector.Name != proxyName ? timeline : timeline with
            {
                Seconds = [.. timeline.Seconds.Select(second => second with { Http2Connections = connections.GetValueOrDefault(second.At) })],
            };
        }
        return timelines;
    }
}

/// <summary>One process's runtime, a sample per second (the collector's local time, to the second).</summary>
public sealed record RuntimeTimeline(IReadOnlyList<RuntimeSecond> Seconds, GcTrace? Gc = null)
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
