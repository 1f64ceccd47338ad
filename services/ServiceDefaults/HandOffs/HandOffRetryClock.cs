namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// The clock a hand-off's retries wait on: real time. Not the process's TimeProvider, which is the
/// shared clock and runs a simulation many times faster; a receiver's outage does not. Its own
/// type, so that a test can hand the sender a fake one without touching the shared clock.
/// </summary>
public sealed class HandOffRetryClock(TimeProvider time)
{
    public static readonly HandOffRetryClock Real = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    /// <summary>A point <paramref name="wait"/> from now, in <see cref="Time"/>'s timestamps.</summary>
    public long After(TimeSpan wait) => Time.GetTimestamp() + (long)(wait.TotalSeconds * Time.TimestampFrequency);
}
