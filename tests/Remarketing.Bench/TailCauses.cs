using System.Globalization;

namespace Remarketing.Bench;

/// <summary>
/// Lines a phase's slow answers (over twice its median) up with what each process's runtime did:
/// for each thing that can hold a call up (a GC pause, work waiting in the thread pool, threads
/// being added, lock contention), the share of slow answers that came in a second with it next to
/// the share of all answers; and, where the pauses were traced, the share whose call was under
/// way while a process was paused. A cause shows as a share well above its baseline.
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
            static DateTime SecondOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, at.Kind);
            foreach (var (what, holds) in new (string, Func<RuntimeSecond, bool>)[]
            {
                ("GC pause", second => second.GcPauseSeconds > 0),
                ("thread-pool queue", second => second.QueueLength > 0),
                ("threads added", second => added.Contains(second.At)),
                ("lock contention", second => second.LockContentions > 0),
            })
            {
                double Share(IReadOnlyCollection<(DateTime At, double Ms)> answers) =>
                    answers.Count == 0 ? 0 : (double)answers.Count(answer => seconds.TryGetValue(SecondOf(answer.At), out var second) && holds(second)) / answers.Count;
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {what} {Share(slow):P0} / {Share(answered):P0}"));
            }
        }

        var traced = timelines.Where(timeline => timeline.Value.Gc is not null).ToList();
        if (traced.Count > 0)
        {
            // The tail itself: the slowest 1 % of answers, those over the p99.
            var slowest = answered.Where(answer => answer.Ms > phase.P99).ToList();
            var overlapping = new List<string>();
            foreach (var (name, pauses) in traced.Select(timeline => (timeline.Key, timeline.Value.Gc!.Pauses))
                .Append(("any of them", [.. traced.SelectMany(timeline => timeline.Value.Gc!.Pauses)])))
            {
                overlapping.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} {PausedShare(slowest, pauses):P0} / {PausedShare(slow, pauses):P0} / {PausedShare(answered, pauses):P0}"));
            }
            parts.Add($"under way while paused (traced; over p99 / slow / all answers): {string.Join(", ", overlapping)}");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{slow.Count:N0} of {answered.Count:N0} slower than {slowerThan:F1} ms; in a second with (slow / all answers): {string.Join(", ", parts)}");
    }

    /// <summary>The share of <paramref name="answers"/> whose call, from when it was due to its answer, overlapped one of <paramref name="pauses"/>.</summary>
    private static double PausedShare(IReadOnlyCollection<(DateTime At, double Ms)> answers, IReadOnlyList<RuntimePause> pauses) =>
        answers.Count == 0 ? 0 : (double)answers.Count(answer => pauses.Any(pause => pause.Overlaps(answer.At.AddMilliseconds(-answer.Ms), answer.At))) / answers.Count;
}
