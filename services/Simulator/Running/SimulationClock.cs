using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Clock;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The shared clock as the simulator follows it: what time it is, and waiting until a time (or
/// until the agenda says something was added to it).
/// </summary>
public interface ISimulationClock
{
    /// <summary>How many times faster than real time the shared clock runs.</summary>
    double Speed { get; }

    DateTimeOffset Now { get; }

    Task WaitUntilAsync(DateTimeOffset at, Task wakeEarly, CancellationToken cancellationToken);
}

/// <summary>
/// The running shared clock, computed here from its reading (epoch, start, speed) exactly as every
/// service computes it (<see cref="SharedClock"/>): waiting is a timer on that TimeProvider.
/// </summary>
public sealed class RunningClock(TimeProvider clock, double speed) : ISimulationClock
{
    public static RunningClock From(ClockReading reading, TimeProvider? realTime = null) =>
        new(new SharedClock(new ClockOptions
        {
            Epoch = reading.Epoch.ToDateTimeOffset(),
            Start = reading.Start.ToDateTimeOffset(),
            Speed = reading.Speed,
        }, realTime ?? TimeProvider.System), reading.Speed);

    public double Speed { get; } = speed;

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task WaitUntilAsync(DateTimeOffset at, Task wakeEarly, CancellationToken cancellationToken)
    {
        var wait = at - Now;
        if (wait <= TimeSpan.Zero)
            return;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(wait, clock, stop.Token);
        await Task.WhenAny(timer, wakeEarly);
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// The shared clock held still by the simulator (SetClock speed 0) and moved on only by it
/// (SetClock advance): a stepped run, where what happens at each instant does not race the clock.
/// </summary>
public sealed class SteppedClock : ISimulationClock
{
    private readonly Gateway _gateway;
    private long _nowTicks;

    private SteppedClock(Gateway gateway, DateTimeOffset now, double speedBefore)
    {
        _gateway = gateway;
        _nowTicks = now.UtcTicks;
        SpeedBefore = speedBefore;
    }

    /// <summary>Paused on a stepped clock: no time passes unless the run moves it.</summary>
    public double Speed => 0;

    public DateTimeOffset Now => new(Interlocked.Read(ref _nowTicks), TimeSpan.Zero);

    /// <summary>The speed the shared clock ran at before the run paused it (given back at the end).</summary>
    public double SpeedBefore { get; }

    /// <summary>
    /// Pauses the shared clock and moves it on to the next whole multiple of <paramref name="step"/>
    /// (counted from 1970), so two runs on systems started at the same clock time start at the same instant.
    /// </summary>
    public static async Task<SteppedClock> PauseAsync(Gateway gateway, TimeSpan step, CancellationToken cancellationToken)
    {
        var headers = await gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, cancellationToken);
        var before = await gateway.Clock.GetClockAsync(new GetClockRequest(), headers, cancellationToken: cancellationToken);
        var paused = await gateway.Clock.SetClockAsync(new SetClockRequest { RequestId = $"simulator/pause/{Guid.NewGuid():N}", Speed = 0 }, headers, cancellationToken: cancellationToken);
        var now = paused.Now.ToDateTimeOffset();
        var aligned = new DateTimeOffset((now.UtcTicks + step.Ticks - 1) / step.Ticks * step.Ticks, TimeSpan.Zero);
        var clock = new SteppedClock(gateway, now, before.Speed);
        await clock.AdvanceAsync(aligned - now, cancellationToken);
        return clock;
    }

    /// <summary>Moves the shared clock on by <paramref name="by"/>: deadlines it passes come due in every service.</summary>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken)
    {
        if (by <= TimeSpan.Zero)
            return;
        var headers = await _gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, cancellationToken);
        var reading = await _gateway.Clock.SetClockAsync(
            new SetClockRequest { RequestId = $"simulator/advance/{Guid.NewGuid():N}", Advance = Duration.FromTimeSpan(by) }, headers, cancellationToken: cancellationToken);
        Interlocked.Exchange(ref _nowTicks, reading.Now.ToDateTimeOffset().UtcTicks);
    }

    /// <summary>Lets the shared clock run again at the speed it had before the run.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var headers = await _gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, cancellationToken);
        await _gateway.Clock.SetClockAsync(new SetClockRequest { RequestId = $"simulator/resume/{Guid.NewGuid():N}", Speed = SpeedBefore }, headers, cancellationToken: cancellationToken);
    }

    /// <summary>Never waits: the stepped run takes what is due at each instant (<see cref="Simulation"/>).</summary>
    public Task WaitUntilAsync(DateTimeOffset at, Task wakeEarly, CancellationToken cancellationToken) => Task.CompletedTask;
}
