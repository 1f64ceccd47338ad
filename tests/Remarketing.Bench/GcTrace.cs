using System.Globalization;
using Microsoft.Diagnostics.Tracing;

namespace Remarketing.Bench;

/// <summary>
/// A process's pauses, each from the runtime suspending its threads to resuming them (no managed
/// code ran in between), and what it allocated by type, sampled by the runtime every 100 KB; read
/// from a dotnet-trace recording of the runtime's GC events. A pause with no collection in it is
/// a suspension for something else (the JIT's tiering, a debugger).
/// </summary>
public sealed record GcTrace(IReadOnlyList<RuntimePause> Pauses, IReadOnlyDictionary<string, long> AllocatedByType)
{
    public static GcTrace Read(string nettraceFile)
    {
        var pauses = new List<RuntimePause>();
        var allocated = new Dictionary<string, long>(StringComparer.Ordinal);
        DateTime? suspended = null;
        var generation = RuntimePause.NoCollection;
        using var source = new EventPipeEventSource(nettraceFile);
        source.Clr.GCSuspendEEStart += data => suspended ??= data.TimeStamp;
        source.Clr.GCStart += data => generation = Math.Max(generation, data.Depth);
        source.Clr.GCRestartEEStop += data =>
        {
            if (suspended is { } start)
                pauses.Add(new RuntimePause(start, data.TimeStamp, generation));
            (suspended, generation) = (null, RuntimePause.NoCollection);
        };
        source.Clr.GCAllocationTick += data =>
        {
            var type = data.TypeName ?? "(unknown type)";
            allocated[type] = allocated.GetValueOrDefault(type) + data.AllocationAmount64;
        };
        source.Process();
        return new GcTrace(pauses, allocated);
    }

    /// <summary>The pauses in one line: collections by generation, the longest and their total; other suspensions apart.</summary>
    public string Summary()
    {
        var collections = Pauses.Where(pause => pause.Generation != RuntimePause.NoCollection).ToList();
        var others = Pauses.Where(pause => pause.Generation == RuntimePause.NoCollection).ToList();
        string Longest(List<RuntimePause> pauses) => pauses.Count == 0 ? "0.0" : pauses.Max(pause => pause.Ms).ToString("F1", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{collections.Count} GC pauses (gen0 {collections.Count(pause => pause.Generation == 0)}, gen1 {collections.Count(pause => pause.Generation == 1)}, " +
            $"gen2 {collections.Count(pause => pause.Generation == 2)}), longest {Longest(collections)} ms, {collections.Sum(pause => pause.Ms):F1} ms in all; " +
            $"{others.Count} other suspensions, longest {Longest(others)} ms");
    }

    /// <summary>The types that took the most of the sampled allocations, with their shares.</summary>
    public string TopAllocations(int count)
    {
        var total = Math.Max(1, AllocatedByType.Values.Sum());
        return string.Join(", ", AllocatedByType.OrderByDescending(type => type.Value).Take(count)
            .Select(type => string.Create(CultureInfo.InvariantCulture, $"{type.Key} {(double)type.Value / total:P0}")));
    }
}

/// <summary>A stretch of time no managed code of a process ran: a collection of <see cref="Generation"/>, or <see cref="NoCollection"/>.</summary>
public sealed record RuntimePause(DateTime Start, DateTime End, int Generation)
{
    public const int NoCollection = -1;

    public double Ms => (End - Start).TotalMilliseconds;

    public bool Overlaps(DateTime from, DateTime until) => Start < until && End > from;
}
