using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// Lines a phase's slow answers (over twice its median) up with what each process's runtime did
/// in the same second: for each thing that can hold a call up (a GC pause, work waiting in the
/// thread pool, threads being added, lock contention), the share of slow answers that came in
/// such a second next to the share of all answers. A cause shows as a share well above its baseline.
/// </summary>
public static class TailCauses
{
    public static string Describe(Throughput phase, IReadOnlyDictionary<string, RuntimeTimeline> timelines)
    {
        var answered = phase.Answered ?? [];
        if (answered.Count == 0)
            return "no answers kept";
        var slowerThan = 2 * phase.P50;
        var slow = answered.Where(answer => answer.Ms > slowerThan).ToList();
        var parts = new List<string>();
        foreach (var (name, timeline) in timelines)
        {
            var seconds = timeline.Seconds.ToDictionary(second => second.At);
            var added = timeline.Seconds.Zip(timeline.Seconds.Skip(1), (before, after) => (after.At, Added: after.Threads > before.Threads))
                .Where(second => second.Added).Select(second => second.At).ToHashSet();
            foreach (var (what, holds) in new (string, Func<RuntimeSecond, bool>)[]
            {
                ("GC pause", second => second.GcPauseSeconds > 0),
                ("thread-pool queue", second => second.QueueLength > 0),
                ("threads added", second => added.Contains(second.At)),
                ("lock contention", second => second.LockContentions > 0),
            })
            {
                double Share(IReadOnlyCollection<(DateTime At, double Ms)> answers) =>
                    answers.Count == 0 ? 0 : (double)answers.Count(answer => seconds.TryGetValue(answer.At, out var second) && holds(second)) / answers.Count;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {what} {Share(slow):P0} / {Share(answered):P0}"));
            }
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{slow.Count:N0} of {answered.Count:N0} slower than {slowerThan:F1} ms; in a second with (slow / all answers): {string.Join(", ", parts)}");
    }
}
