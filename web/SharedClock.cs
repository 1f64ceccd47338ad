using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.Web;

/// <summary>
/// The system's shared clock as this page estimates it (a simulation runs it many times faster
/// than real time): its reading and speed from GetClock once, then corrected by the server time
/// every stream heartbeat carries, so a view needs no request of its own to count time down.
/// </summary>
public sealed class SharedClock(TimeProvider realTime)
{
    private DateTimeOffset _reading = realTime.GetUtcNow();
    private long _readAt = realTime.GetTimestamp();
    private double _speed = 1;

    public async Task StartAsync(ClockService.ClockServiceClient clock, CancellationToken cancellationToken)
    {
        var reading = await clock.GetClockAsync(new GetClockRequest(), cancellationToken: cancellationToken);
        _speed = reading.Speed;
        Set(reading.Now);
    }

    /// <summary>A heartbeat's server time: the clock as it read then.</summary>
    public void Set(Timestamp? serverTime)
    {
        if (serverTime is null)
            return;
        _reading = serverTime.ToDateTimeOffset();
        _readAt = realTime.GetTimestamp();
    }

    public DateTimeOffset Now => _reading + (realTime.GetElapsedTime(_readAt) * _speed);

    /// <summary>"2d 04:10:05", "03:59", "ended".</summary>
    public string Left(Timestamp? endsAt)
    {
        if (endsAt is null)
            return "";
        var left = endsAt.ToDateTimeOffset() - Now;
        if (left <= TimeSpan.Zero)
            return "ending";
        return left.TotalDays >= 1 ? $"{(int)left.TotalDays}d {left:hh\\:mm\\:ss}" : left.TotalHours >= 1 ? left.ToString("hh\\:mm\\:ss") : left.ToString("mm\\:ss");
    }
}
