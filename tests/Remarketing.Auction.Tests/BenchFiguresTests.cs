using Remarketing.Bench;

namespace Remarketing.Auction.Tests;

/// <summary>The bench's own arithmetic: repeated runs combined, the runtime's samples read, slow answers lined up with them.</summary>
public sealed class BenchFiguresTests
{
    [Fact]
    public void RepeatedRuns_GiveEachFigureItsMedianAndRange_InItsOwnFormat()
    {
        var combined = RepeatedRuns.Combine(["4,300 bids/s, p99 9.3 ms, queue 0, threads 4", "5,100 bids/s, p99 43.6 ms, queue 2, threads 4", "4,900 bids/s, p99 6.5 ms, queue 1, threads 4"]);

        Assert.Equal("4,900 (4,300–5,100) bids/s, p99 9.3 (6.5–43.6) ms, queue 1 (0–2), threads 4", combined);
    }

    [Fact]
    public void RepeatedRuns_PrintAFigureThatDidNotMoveOnce_AndAnEvenCountsMedianBetweenTheMiddleTwo()
    {
        Assert.Equal("target p99 <= 10 ms", RepeatedRuns.Combine(["target p99 <= 10 ms", "target p99 <= 10 ms"]));
        Assert.Equal("p50 2.00 (1.00–4.00) ms", RepeatedRuns.Combine(["p50 1.00 ms", "p50 2.00 ms", "p50 2.00 ms", "p50 4.00 ms"]));
    }

    [Fact]
    public void RepeatedRuns_WhoseWordsDiffer_AreEachGivenAsTheyWere() =>
        Assert.Equal("1 failed // none failed", RepeatedRuns.Combine(["1 failed", "none failed"]));

    [Fact]
    public void ANegativeFigure_IsCombinedLikeAnyOther_AndAHyphenBetweenFiguresIsNoSign() =>
        Assert.Equal("auction 0.1 (-0.1–1.3) KiB, threads 5-6",
            RepeatedRuns.Combine(["auction -0.1 KiB, threads 5-6", "auction 0.1 KiB, threads 5-6", "auction 1.3 KiB, threads 5-6"]));

    private static readonly string[] Counters =
    [
        "Timestamp,Provider,Counter Name,Counter Type,Mean/Increment",
        "12/07/2026 11:29:28,System.Runtime,Time paused by GC (ms / 1 sec),Rate,4",
        "12/07/2026 11:29:28,System.Runtime,Gen 0 GC Count (Count / 1 sec),Rate,2",
        "12/07/2026 11:29:28,System.Runtime,Gen 1 GC Count (Count / 1 sec),Rate,1",
        "12/07/2026 11:29:28,System.Runtime,ThreadPool Queue Length,Metric,0",
        "12/07/2026 11:29:28,System.Runtime,ThreadPool Thread Count,Metric,4",
        "12/07/2026 11:29:28,System.Runtime,Allocation Rate (B / 1 sec),Rate,694392",
        "12/07/2026 11:29:29,System.Runtime,Time paused by GC (ms / 1 sec),Rate,0",
        "12/07/2026 11:29:29,System.Runtime,ThreadPool Queue Length,Metric,7",
        "12/07/2026 11:29:29,System.Runtime,ThreadPool Thread Count,Metric,6",
        "12/07/2026 11:29:29,System.Runtime,Monitor Lock Contention Count (Count / 1 sec),Rate,3",
    ];

    [Fact]
    public void ARuntimeTimeline_IsReadFromDotnetCountersCsv_ASamplePerSecond()
    {
        var timeline = RuntimeTimeline.Parse(Counters);

        Assert.Equal(2, timeline.Seconds.Count);
        var first = timeline.Seconds[0];
        Assert.Equal((0.004, 3.0, 0.0, 4.0), (first.GcPauseSeconds, first.GcCollections, first.QueueLength, first.Threads));
        Assert.Equal((7.0, 6.0, 3.0), (timeline.Seconds[1].QueueLength, timeline.Seconds[1].Threads, timeline.Seconds[1].LockContentions));
        Assert.Equal(
            "GC 3 collections, paused 4.0 ms in all, at most 4.0 ms in one second; thread-pool queue at most 7, threads from 4 to 6; lock contentions 3; " +
            "allocated 0.3 MB/s, 3.4 KiB per call",
            timeline.Summary(callsPerSecond: 100));
    }

    [Fact]
    public void SlowAnswers_AreLinedUpWithTracedPauses_ToTheMillisecond_FromWhenTheCallWasDue()
    {
        var second = new DateTime(2026, 12, 7, 11, 29, 28, DateTimeKind.Local);
        // One pause 5 to 4 ms before the second: only the answer that took 5 ms was under way in it.
        var pause = new RuntimePause(second.AddMilliseconds(-5), second.AddMilliseconds(-4), Generation: 0);
        var timeline = RuntimeTimeline.Parse(Counters) with { Gc = new GcTrace([pause], new Dictionary<string, long>()) };
        var phase = new Throughput(4, 1, 4.9, 1, new CpuShare(0, 0, 0, 0),
            [(second, 5), (second, 3), (second.AddSeconds(1), 1), (second.AddSeconds(1), 1)]);

        var described = TailCauses.Describe(phase, new Dictionary<string, RuntimeTimeline> { ["gateway"] = timeline });

        // p99 4.9 ms: over it, the one answer of 5 ms.
        Assert.EndsWith("under way while paused (traced; over p99 / slow / all answers): gateway 100 % / 50 % / 25 %, any of them 100 % / 50 % / 25 %", described);
    }

    [Fact]
    public void TracedPauses_AreSummedByGeneration_AndOtherSuspensionsKeptApart()
    {
        var start = new DateTime(2026, 12, 7, 11, 29, 28, DateTimeKind.Local);
        var trace = new GcTrace(
            [
                new RuntimePause(start, start.AddMilliseconds(1.5), 0),
                new RuntimePause(start.AddSeconds(1), start.AddSeconds(1).AddMilliseconds(4), 1),
                new RuntimePause(start.AddSeconds(2), start.AddSeconds(2).AddMilliseconds(0.5), RuntimePause.NoCollection),
            ],
            new Dictionary<string, long> { ["System.Byte[]"] = 300_000, ["System.String"] = 100_000 });

        Assert.Equal("2 GC pauses (gen0 1, gen1 1, gen2 0), longest 4.0 ms, 5.5 ms in all; 1 other suspensions, longest 0.5 ms", trace.Summary());
        Assert.Equal("System.Byte[] 75 %, System.String 25 %", trace.TopAllocations(6));
    }

    [Fact]
    public void SlowAnswers_AreLinedUpWithTheSecondTheyCameIn_AgainstTheShareOfAllAnswers()
    {
        var timeline = RuntimeTimeline.Parse(Counters);
        var gcSecond = new DateTime(2026, 12, 7, 11, 29, 28, DateTimeKind.Local);
        var queueSecond = gcSecond.AddSeconds(1);
        // p50 1 ms: the two answers over 2 ms came in the second with a GC pause.
        var phase = new Throughput(4, 1, 5, 1, new CpuShare(0, 0, 0, 0),
            [(gcSecond, 5), (gcSecond, 3), (queueSecond, 1), (queueSecond, 1)]);

        var described = TailCauses.Describe(phase, new Dictionary<string, RuntimeTimeline> { ["gateway"] = timeline });

        Assert.StartsWith("2 of 4 slower than 2.0 ms; in a second with (slow / all answers): gateway GC pause 100 % / 50 %, gateway thread-pool queue 0 % / 50 %, " +
            "gateway threads added 0 % / 50 %, gateway lock contention 0 % / 50 %", described);
    }
}
