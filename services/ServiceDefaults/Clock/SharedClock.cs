using System.Collections.Concurrent;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// A clock that reads <c>start + (real now - epoch) x speed</c> (<see cref="ClockDefinition"/>).
/// Timers run <c>speed</c> times faster than real time, so a 6-day auction window passes in
/// minutes in a simulation, and every process following the same definition agrees on the time.
/// A shared clock (configured with an epoch) follows a new definition while it runs
/// (<see cref="Follow"/>), and every live timer fires when the clock reaches the timer's due time
/// at the new speed: at once when a jump passed it, never while the clock is paused. A change
/// starts from the clock's reading, so time does not jump back; a process that hears of a slowdown
/// a moment late takes back what it ran ahead meanwhile, so that every process agrees, but its
/// timestamps never go back. Without an epoch it is real time, as a plain TimeProvider.
/// </summary>
public sealed class SharedClock : TimeProvider
{
    // System.Threading.Timer waits at most 2^32 - 2 ms; a longer wait is armed again when it ends.
    private static readonly TimeSpan LongestRealWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly TimeProvider _real;
    private readonly ConcurrentDictionary<ClockTimer, byte> _armed = new();
    private readonly Lock _following = new();
    private Segment _segment;
    private long _latestTimestamp = long.MinValue;

    public SharedClock(ClockOptions options, TimeProvider real)
    {
        if (options.Speed <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "Clock:Speed must be more than 0.");
        if (options.Speed != 1 && options.Epoch is null)
            throw new ArgumentException(
                "Clock:Epoch is required when Clock:Speed is not 1: without a shared epoch, processes would disagree on the time.",
                nameof(options));

        _real = real;
        IsShared = options.Epoch is not null;
        var epoch = (options.Epoch ?? real.GetUtcNow()).ToUniversalTime();
        var definition = new ClockDefinition(epoch, (options.Start ?? epoch).ToUniversalTime(), options.Speed, 0);
        var realTimestamp = real.GetTimestamp();
        _segment = new Segment(definition, realTimestamp, RealToTicks(realTimestamp), real.TimestampFrequency);
    }

    /// <summary>True when configured with an epoch: the clock is a simulation shared through Redis, and may change while running.</summary>
    public bool IsShared { get; }

    /// <summary>The definition the clock follows now.</summary>
    public ClockDefinition Definition => Volatile.Read(ref _segment).Definition;

    /// <summary>Raised after the clock follows a new definition (under a lock: handlers must not block).</summary>
    public event EventHandler<ClockDefinition>? Changed;

    public override DateTimeOffset GetUtcNow() => Volatile.Read(ref _segment).Definition.ReadingAt(_real.GetUtcNow());

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    // A shared clock's timestamps count its own time in TimeSpan ticks: far from overflow at any speed it allows.
    public override long TimestampFrequency => IsShared ? TimeSpan.TicksPerSecond : _real.TimestampFrequency;

    public override long GetTimestamp() =>
        IsShared ? NeverBack(ref _latestTimestamp, Volatile.Read(ref _segment).TimestampAt(_real.GetTimestamp())) : _real.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return IsShared ? new ClockTimer(this, callback, state, dueTime, period) : _real.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// Follows <paramref name="next"/> if it is newer than the definition followed now: the live
    /// timers are armed again for their due times on the new definition. False if it is not newer.
    /// </summary>
    public bool Follow(ClockDefinition next)
    {
        if (!IsShared)
            throw new InvalidOperationException("a clock without Clock:Epoch is real time and follows nothing else");
        lock (_following)
        {
            var current = _segment;
            if (next.Version <= current.Definition.Version)
                return false;

            var realNow = _real.GetUtcNow();
            var realTimestamp = _real.GetTimestamp();
            // A jump forward moves the timestamps on too; a small step back (a change heard a
            // moment late) does not, since timestamps never go back.
            var jump = next.ReadingAt(realNow) - current.Definition.ReadingAt(realNow);
            var timestamp = current.TimestampAt(realTimestamp) + Math.Max(0, jump.Ticks);
            Volatile.Write(ref _segment, new Segment(next, realTimestamp, timestamp, _real.TimestampFrequency));
            foreach (var timer in _armed.Keys)
                timer.WaitAgain();
            Changed?.Invoke(this, next);
            return true;
        }
    }

    /// <summary>
    /// The real time until the clock reads <paramref name="dueTicks"/>, rounded up to whole
    /// milliseconds (timers' resolution): zero when it has come, infinite while the clock is paused.
    /// </summary>
    private TimeSpan RealWaitUntil(long dueTicks)
    {
        var speed = Definition.Speed;
        var remaining = dueTicks - GetUtcNow().UtcTicks;
        if (remaining <= 0)
            return TimeSpan.Zero;
        if (speed == 0)
            return Timeout.InfiniteTimeSpan;
        var milliseconds = Math.Ceiling(remaining / speed / TimeSpan.TicksPerMillisecond);
        return milliseconds >= LongestRealWait.TotalMilliseconds ? LongestRealWait : TimeSpan.FromMilliseconds(milliseconds);
    }

    private long RealToTicks(long realTimestamp) => (long)(realTimestamp * ((double)TimeSpan.TicksPerSecond / _real.TimestampFrequency));

    private static long NeverBack(ref long latest, long value)
    {
        var seen = Volatile.Read(ref latest);
        while (value > seen)
        {
            var before = Interlocked.CompareExchange(ref latest, value, seen);
            if (before == seen)
                return value;
            seen = before;
        }

        return seen;
    }

    private static long AddClamped(long ticks, long more) =>
        more >= DateTimeOffset.MaxValue.UtcTicks - ticks ? DateTimeOffset.MaxValue.UtcTicks : ticks + more;

    /// <summary>One stretch of the clock under one definition: the real timestamp it began at and the clock's timestamp then.</summary>
    private sealed record Segment(ClockDefinition Definition, long RealTimestamp, long ClockTimestamp, long RealFrequency)
    {
        public long TimestampAt(long realTimestamp) =>
            ClockTimestamp + (long)((realTimestamp - RealTimestamp) * ((double)TimeSpan.TicksPerSecond / RealFrequency) * Definition.Speed);
    }

    /// <summary>
    /// A timer due at a time on the clock. It waits on a real timer for as long as the clock
    /// takes to get there at its speed, and is registered with the clock while armed, so a change
    /// of definition can arm its wait again.
    /// </summary>
    private sealed class ClockTimer : ITimer
    {
        private readonly SharedClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly ITimer _wait;
        private readonly Lock _lock = new();
        private long _dueTicks;
        private TimeSpan _period;
        private bool _armed;
        private bool _disposed;

        public ClockTimer(SharedClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            CheckTimeout(dueTime, nameof(dueTime));
            CheckTimeout(period, nameof(period));
            _clock = clock;
            _callback = callback;
            _state = state;
            _wait = clock._real.CreateTimer(static timer => ((ClockTimer)timer!).OnWaitEnded(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            CheckTimeout(dueTime, nameof(dueTime));
            CheckTimeout(period, nameof(period));
            lock (_lock)
            {
                if (_disposed)
                    return false;
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    Disarm();
                    return true;
                }

                // Registered before reading the clock: a change of definition from now on arms the wait again.
                _armed = true;
                _clock._armed.TryAdd(this, 0);
                _dueTicks = AddClamped(_clock.GetUtcNow().UtcTicks, dueTime.Ticks);
                WaitLocked();
                return true;
            }
        }

        /// <summary>After a change of definition: waits for the same clock time at the new speed.</summary>
        public void WaitAgain()
        {
            lock (_lock)
            {
                if (_armed && !_disposed)
                    WaitLocked();
            }
        }

        public void Dispose()
        {
            if (Stop())
                _wait.Dispose();
        }

        public ValueTask DisposeAsync() => Stop() ? _wait.DisposeAsync() : ValueTask.CompletedTask;

        private bool Stop()
        {
            lock (_lock)
            {
                if (_disposed)
                    return false;
                _disposed = true;
                _armed = false;
                _clock._armed.TryRemove(this, out _);
                return true;
            }
        }

        private void OnWaitEnded()
        {
            lock (_lock)
            {
                if (!_armed || _disposed)
                    return;
                var now = _clock.GetUtcNow().UtcTicks;
                if (now < _dueTicks)
                {
                    // Woken early (a wait armed before a change, or a coarse real timer): wait for the rest.
                    WaitLocked();
                    return;
                }

                if (_period > TimeSpan.Zero)
                {
                    var next = AddClamped(_dueTicks, _period.Ticks);
                    // Behind by more than a period (a jump): fire once now, then keep the period from now.
                    _dueTicks = next > now ? next : AddClamped(now, _period.Ticks);
                    WaitLocked();
                }
                else
                {
                    Disarm();
                }
            }

            _callback(_state);
        }

        private void WaitLocked() => _wait.Change(_clock.RealWaitUntil(_dueTicks), Timeout.InfiniteTimeSpan);

        private void Disarm()
        {
            _armed = false;
            _clock._armed.TryRemove(this, out _);
            _wait.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        private static void CheckTimeout(TimeSpan value, string name)
        {
            if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(name, value, "must be 0 or more, or Timeout.InfiniteTimeSpan");
        }
    }
}
