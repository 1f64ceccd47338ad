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
