using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>How server streams keep proxies from cutting them and bound what they buffer.</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>
    /// Real time between heartbeats on an idle stream. Must stay well under every proxy's idle
    /// cut-off (YARP: 100 s by default, and HTTP/2 pings do not count as activity).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Messages queued for one stream before its reader counts as fallen behind.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1024;
}
