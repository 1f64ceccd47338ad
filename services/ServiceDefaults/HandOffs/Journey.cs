using System.Diagnostics;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// The trace a vehicle's journey runs in. Each service keeps it with its record of the vehicle
/// (the case, the inspection order, the listing, the pickup) when the record is made, which is
/// in the trace of the hand-off that brought it; every hand-off about that record is sent in it.
/// So the whole journey is one trace across the services, while the call that caused each step
/// (an inspector's report, a bid, a release) is linked to it.
/// </summary>
public static class Journey
{
    /// <summary>The W3C traceparent of the current call, to keep with a record made now; empty outside a trace.</summary>
    public static string Current => Activity.Current?.Id ?? "";
}
