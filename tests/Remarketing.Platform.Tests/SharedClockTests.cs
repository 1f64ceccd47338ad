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
}
