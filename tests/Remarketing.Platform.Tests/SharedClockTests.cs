using Microsoft.Extensions.Time.Testing;
using Remarketing.ServiceDefaults.Clock;

namespace Remarketing.Platform.Tests;

public class SharedClockTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SimulatedStart = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AtSpeedOne_WithoutEpoch_ReadsRealTime()
    {
        var real = new FakeTimeProvider(Epoch);
        var clock = new SharedClock(new ClockOptions(), real);

        real.Advance(TimeSpan.FromMinutes(7));

        Assert.Equal(real.GetUtcNow(), clock.GetUtcNow());
    }

    [Fact]
    public void ReadsStartPlusRealElapsedTimesSpeed()
    {
        var real = new FakeTimeProvider(Epoch);
        var clock = new SharedClock(new ClockOptions { Epoch = Epoch, Start = SimulatedStart, Speed = 1000 }, real);

        real.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(SimulatedStart + TimeSpan.FromSeconds(3000), clock.GetUtcNow());
    }

    [Fact]
    public void ProcessesStartedAtDifferentTimes_WithTheSameEpochAndSpeed_Agree()
    {
        var real = new FakeTimeProvider(Epoch);
        var options = new ClockOptions { Epoch = Epoch, Start = SimulatedStart, Speed = 720 };
        var first = new SharedClock(options, real);
        real.Advance(TimeSpan.FromSeconds(41));
        var second = new SharedClock(options, real);
        real.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(first.GetUtcNow(), second.GetUtcNow());
    }

    [Fact]
    public void SixDayAuctionWindow_TimerFiresAfterSixDaysOverSpeed_OfRealTime()
    {
        var real = new FakeTimeProvider(Epoch);
        var clock = new SharedClock(new ClockOptions { Epoch = Epoch, Speed = 1000 }, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromDays(6), Timeout.InfiniteTimeSpan);

        // 6 days / 1000 = 518.4 s of real time.
        real.Advance(TimeSpan.FromSeconds(518.3));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void ChangedTimer_IsScaledToo()
    {
        var real = new FakeTimeProvider(Epoch);
        var clock = new SharedClock(new ClockOptions { Epoch = Epoch, Speed = 60 }, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void ElapsedTime_IsMeasuredOnTheClock()
    {
        var real = new FakeTimeProvider(Epoch);
        var clock = new SharedClock(new ClockOptions { Epoch = Epoch, Speed = 100 }, real);
        var started = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(200), clock.GetElapsedTime(started));
    }

    [Fact]
    public void SpeedOtherThanOne_WithoutSharedEpoch_IsRefused()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SharedClock(new ClockOptions { Speed = 10 }, TimeProvider.System));
        Assert.Contains("Clock:Epoch", exception.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void SpeedNotAboveZero_IsRefused(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedClock(new ClockOptions { Epoch = Epoch, Speed = speed }, TimeProvider.System));

    [Fact]
    public void ADefinition_ReadsStartPlusElapsedTimesSpeed_AndAChangeGoesOnFromItsReading()
    {
        var definition = new ClockDefinition(Epoch, SimulatedStart, 1440, 3);

        var changed = definition.ChangedAt(Epoch.AddSeconds(60), 0, TimeSpan.FromHours(2));

        Assert.Equal(SimulatedStart.AddDays(1), definition.ReadingAt(Epoch.AddSeconds(60)));
        Assert.Equal(new ClockDefinition(Epoch.AddSeconds(60), SimulatedStart.AddDays(1).AddHours(2), 0, 4), changed);
        Assert.Equal(changed.Start, changed.ReadingAt(Epoch.AddDays(30)));
    }

    [Fact]
    public void ANewSpeed_GoesOnFromWhereTheClockStood()
    {
        var (real, clock) = Shared(speed: 1000);
        real.Advance(TimeSpan.FromSeconds(3));

        Assert.True(clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 10, TimeSpan.Zero)));
        var atChange = clock.GetUtcNow();
        real.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SimulatedStart.AddSeconds(3000), atChange);
        Assert.Equal(SimulatedStart.AddSeconds(3010), clock.GetUtcNow());
        Assert.Equal(10, clock.Definition.Speed);
    }

    [Fact]
    public void ADefinitionNoNewerThanTheOneFollowed_IsIgnored()
    {
        var (real, clock) = Shared(speed: 60);
        clock.Follow(clock.Definition with { Version = 2 });

        Assert.False(clock.Follow(new ClockDefinition(real.GetUtcNow(), SimulatedStart.AddYears(1), 5, 2)));
        Assert.False(clock.Follow(new ClockDefinition(real.GetUtcNow(), SimulatedStart.AddYears(1), 5, 1)));
        Assert.Equal(60, clock.Definition.Speed);
        Assert.Equal(SimulatedStart, clock.GetUtcNow());
    }

    [Fact]
    public void AClockWithoutEpoch_IsRealTime_AndFollowsNothing()
    {
        var clock = new SharedClock(new ClockOptions(), new FakeTimeProvider(Epoch));

        Assert.False(clock.IsShared);
        Assert.Throws<InvalidOperationException>(() => clock.Follow(clock.Definition with { Version = 1 }));
    }

    [Fact]
    public void FasterMidTimer_TheTimerFiresWhenTheClockReachesItsDueTime()
    {
        var (real, clock) = Shared(speed: 60);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(30));

        // Half an hour of the clock left: 15 s of real time at 120.
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 120, TimeSpan.Zero));
        real.Advance(TimeSpan.FromMilliseconds(14_999));
        Assert.Empty(fired);
        real.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([SimulatedStart.AddHours(1)], fired);
    }

    [Fact]
    public void SlowerMidTimer_TheTimerWaitsForTheClock()
    {
        var (real, clock) = Shared(speed: 60);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(30));

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 6, TimeSpan.Zero));
        // Where the timer would have fired at the old speed: half an hour at 6 is 300 s.
        real.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromSeconds(269.999));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, fired);
        Assert.Equal(SimulatedStart.AddHours(1), clock.GetUtcNow());
    }

    [Fact]
    public void Paused_TheClockStands_AndTimersWaitUntilItMovesAgain()
    {
        var (real, clock) = Shared(speed: 60);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(30));

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 0, TimeSpan.Zero));
        real.Advance(TimeSpan.FromDays(60));
        Assert.Equal(0, fired);
        Assert.Equal(SimulatedStart.AddMinutes(30), clock.GetUtcNow());

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 60, TimeSpan.Zero));
        real.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Equal(0, fired);
        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Paused_ATimerDueNow_StillFires()
    {
        var (real, clock) = Shared(speed: 60);
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 0, TimeSpan.Zero));
        var fired = 0;

        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.Zero);

        Assert.Equal(1, fired);
    }

    [Fact]
    public void AnAdvance_FiresTheTimersItPasses_AtOnce_AndTheOthersAtTheirTime()
    {
        var (real, clock) = Shared(speed: 0.5);
        var fired = new List<string>();
        using var passed = clock.CreateTimer(_ => fired.Add("1 h"), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        using var later = clock.CreateTimer(_ => fired.Add("3 h"), null, TimeSpan.FromHours(3), Timeout.InfiniteTimeSpan);

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 60, TimeSpan.FromHours(2)));
        real.Advance(TimeSpan.Zero);
        Assert.Equal(["1 h"], fired);

        real.Advance(TimeSpan.FromSeconds(59.999));
        Assert.Equal(["1 h"], fired);
        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["1 h", "3 h"], fired);
    }

    [Fact]
    public void APeriodicTimer_KeepsItsPeriodOnTheClock_AcrossASpeedChange()
    {
        var (real, clock) = Shared(speed: 60);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        real.Advance(TimeSpan.FromSeconds(60));
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 120, TimeSpan.Zero));
        real.Advance(TimeSpan.FromSeconds(30));
        real.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([SimulatedStart.AddHours(1), SimulatedStart.AddHours(2), SimulatedStart.AddHours(3)], fired);
    }

    [Fact]
    public void ADisposedOrStoppedTimer_NeverFires_WhateverTheClockDoes()
    {
        var (real, clock) = Shared(speed: 60);
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        using var stopped = clock.CreateTimer(_ => fired++, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        disposed.Dispose();
        stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 60, TimeSpan.FromDays(1)));
        real.Advance(TimeSpan.FromDays(1));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Timestamps_NeverGoBack_AndMeasureTheClocksTime_AcrossChanges()
    {
        var (real, clock) = Shared(speed: 100);
        var started = clock.GetTimestamp();
        real.Advance(TimeSpan.FromSeconds(2));
        var beforeChange = clock.GetTimestamp();

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 1, TimeSpan.FromMinutes(10)));
        var afterChange = clock.GetTimestamp();
        real.Advance(TimeSpan.FromSeconds(5));
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 0, TimeSpan.Zero));
        real.Advance(TimeSpan.FromHours(1));

        Assert.True(afterChange >= beforeChange);
        Assert.Equal(TimeSpan.FromSeconds(200 + 600 + 5), clock.GetElapsedTime(started));
    }

    [Fact]
    public void ASlowdownHeardLate_TakesTheTimeToTheSharedReading_ButTimestampsNeverGoBack()
    {
        var (real, clock) = Shared(speed: 1000);
        real.Advance(TimeSpan.FromSeconds(10));
        var seenTimestamp = clock.GetTimestamp();

        // Slowed to 1 by another process 10 ms ago, when this clock read 10 s less than now.
        var slowed = new ClockDefinition(real.GetUtcNow().AddMilliseconds(-10), clock.GetUtcNow().AddSeconds(-10), 1, 1);
        clock.Follow(slowed);

        Assert.Equal(slowed.ReadingAt(real.GetUtcNow()), clock.GetUtcNow());
        Assert.Equal(seenTimestamp, clock.GetTimestamp());
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(seenTimestamp + TimeSpan.TicksPerSecond, clock.GetTimestamp());
    }

    [Fact]
    public void WatchersHearEveryChange()
    {
        var (real, clock) = Shared(speed: 60);
        var heard = new List<long>();
        clock.Changed += (_, definition) => heard.Add(definition.Version);

        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 10, TimeSpan.Zero));
        clock.Follow(clock.Definition.ChangedAt(real.GetUtcNow(), 20, TimeSpan.Zero));

        Assert.Equal([1L, 2L], heard);
    }

    private static (FakeTimeProvider Real, SharedClock Clock) Shared(double speed)
    {
        var real = new FakeTimeProvider(Epoch);
        return (real, new SharedClock(new ClockOptions { Epoch = Epoch, Start = SimulatedStart, Speed = speed }, real));
    }
}
