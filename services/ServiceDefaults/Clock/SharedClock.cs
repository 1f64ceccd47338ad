namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// A clock that reads <c>start + (real now - epoch) x speed</c>. Timers run <c>speed</c> times
/// faster than real time, so a 6-day auction window passes in minutes in a simulation, and
/// every process configured with the same epoch, start and speed agrees on the time.
/// </summary>
public sealed class SharedClock : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _epoch;
    private readonly DateTimeOffset _start;
    private readonly long _timestampBase;

    public SharedClock(ClockOptions options, TimeProvider real)
    {
        if (options.Speed <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "Clock:Speed must be more than 0.");
        if (options.Speed != 1 && options.Epoch is null)
            throw new ArgumentException(
                "Clock:Epoch is required when Clock:Speed is not 1: without a shared epoch, processes would disagree on the time.",
                nameof(options));

        _real = real;
        Speed = options.Speed;
        _epoch = options.Epoch ?? real.GetUtcNow();
        _start = options.Start ?? _epoch;
        _timestampBase = real.GetTimestamp();
    }

    public double Speed { get; }

    public DateTimeOffset Epoch => _epoch;

    public DateTimeOffset Start => _start;

    public override DateTimeOffset GetUtcNow() => _start + (_real.GetUtcNow() - _epoch) * Speed;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => _real.TimestampFrequency;

    // Timestamps only mean anything as differences: scaling from a base keeps them far from overflow.
    public override long GetTimestamp() =>
        Speed == 1 ? _real.GetTimestamp() : _timestampBase + (long)((_real.GetTimestamp() - _timestampBase) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)), this);

    /// <summary>The real time it takes this clock to move by <paramref name="clockTime"/>.</summary>
    public TimeSpan ToReal(TimeSpan clockTime) =>
        clockTime == Timeout.InfiniteTimeSpan || Speed == 1 ? clockTime : clockTime / Speed;

    private sealed class ScaledTimer(ITimer inner, SharedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) =>
            inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
