using Google.Protobuf.WellKnownTypes;

namespace Remarketing.ServiceDefaults.Limits;

public static class Durations
{
    /// <summary>
    /// The request's Duration as a TimeSpan, rounded away from zero to the 100 ns tick. Protobuf's
    /// own ToTimeSpan truncates: -5 ns read as zero and passed every "not negative" check.
    /// </summary>
    public static TimeSpan ToTimeSpanAwayFromZero(this Duration duration)
    {
        var beyondTicks = duration.Nanos % 100;
        return TimeSpan.FromTicks((duration.Seconds * TimeSpan.TicksPerSecond) + (duration.Nanos / 100) + Math.Sign(beyondTicks));
    }
}
