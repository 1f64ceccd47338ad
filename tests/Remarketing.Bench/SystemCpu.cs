using System.Diagnostics;
using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// CPU time used by each part of the system (the proxy in front, the Auction service, Redis) and
/// by the bench itself, from /proc: read before and after a phase, it says where the two cores
/// went while it ran.
/// </summary>
public sealed record SystemCpu(long Timestamp, TimeSpan Proxy, TimeSpan Auction, TimeSpan Redis, TimeSpan Bench)
{
    /// <summary>Linux's USER_HZ: /proc/&lt;pid&gt;/stat counts CPU time in these ticks.</summary>
    private const double TicksPerSecond = 100;

    public static SystemCpu Read(IReadOnlyList<int> proxyProcessIds) => new(
        Stopwatch.GetTimestamp(),
        Sum(proxyProcessIds),
        Sum(ProcessMemory.ProcessIds("Remarketing.Auction")),
        Sum(ProcessMemory.RedisProcessIds()),
        Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>Each part's share of one core between this reading and <paramref name="end"/>.</summary>
    public CpuShare Until(SystemCpu end)
    {
        var seconds = Stopwatch.GetElapsedTime(Timestamp, end.Timestamp).TotalSeconds;
        double Share(TimeSpan from, TimeSpan to) => (to - from).TotalSeconds / seconds;
        return new CpuShare(Share(Proxy, end.Proxy), Share(Auction, end.Auction), Share(Redis, end.Redis), Share(Bench, end.Bench));
    }

    private static TimeSpan Sum(IEnumerable<int> processIds) =>
        TimeSpan.FromSeconds(processIds.Sum(CpuSeconds));

    private static double CpuSeconds(int pid)
    {
        try
        {
            // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th field, stime the 15th.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}

/// <summary>Shares of one core (1.0 is a whole core).</summary>
public sealed record CpuShare(double Proxy, double Auction, double Redis, double Bench)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CPU: proxy {Proxy:P0}, auction {Auction:P0}, redis {Redis:P0}, bench {Bench:P0} of a core");

    /// <summary>Each part's CPU time per call at <paramref name="callsPerSecond"/>, in microseconds.</summary>
    public string PerCall(double callsPerSecond)
    {
        double Micros(double share) => share / callsPerSecond * 1e6;
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU per call: proxy {Micros(Proxy):F0} us, auction {Micros(Auction):F0} us, redis {Micros(Redis):F0} us, bench {Micros(Bench):F0} us");
    }
}
