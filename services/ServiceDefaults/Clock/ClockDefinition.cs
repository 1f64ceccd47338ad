namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// What the shared clock reads: <c>Start + (real now - Epoch) x Speed</c>. A change makes a new
/// definition with the next version that starts where the old one stood at that moment, so the
/// clock's time never goes back.
/// </summary>
/// <param name="Epoch">The real instant at which the clock read <paramref name="Start"/>.</param>
/// <param name="Speed">Times real time; 0 = paused.</param>
/// <param name="Version">Grows by one at every change; 0 for a process' own configuration, before it has read the shared clock.</param>
public sealed record ClockDefinition(DateTimeOffset Epoch, DateTimeOffset Start, double Speed, long Version)
{
    public const double MaxSpeed = 1_000_000;

    public DateTimeOffset ReadingAt(DateTimeOffset realNow) =>
        Speed == 0 ? Start : Start + (realNow - Epoch) * Speed;

    /// <summary>
    /// The definition after a change at <paramref name="realNow"/>: from this one's reading then,
    /// moved on by <paramref name="advance"/>, running at <paramref name="speed"/>.
    /// </summary>
    public ClockDefinition ChangedAt(DateTimeOffset realNow, double speed, TimeSpan advance) =>
        new(realNow.ToUniversalTime(), ReadingAt(realNow).ToUniversalTime() + advance, speed, Version + 1);
}
