using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.ServiceDefaults.Streaming;

public static class Heartbeats
{
    /// <summary>A heartbeat carrying now on <paramref name="clock"/> (the shared clock: simulated time in a simulation).</summary>
    public static Heartbeat Now(TimeProvider clock) => new() { ServerTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()) };
}
