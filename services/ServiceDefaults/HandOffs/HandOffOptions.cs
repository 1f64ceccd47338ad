using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>How a service delivers its hand-offs (real time, not the shared clock: retries are about networks and restarts).</summary>
public sealed class HandOffOptions
{
    public const string Section = "HandOffs";

    /// <summary>How often the sender looks at the outbox when nothing wakes it (a hand-off written by another instance).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The first retry waits this long; each further one twice as long, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A hand-off the receiver refuses as wrong (InvalidArgument, NotFound, FailedPrecondition,
    /// PermissionDenied, Unimplemented…) this many times in a row moves to the failed stream. One
    /// the receiver cannot take now (Unavailable, DeadlineExceeded, ResourceExhausted…) is retried until it answers.
    /// </summary>
    [Range(1, 1000)]
    public int RefusalsBeforeFailed { get; set; } = 8;

    /// <summary>Each delivery attempt waits this long for the receiver's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Health says Degraded while a hand-off has waited longer than this (real time).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);
}
