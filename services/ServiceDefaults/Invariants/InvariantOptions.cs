using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Invariants;

public sealed class InvariantOptions
{
    public const string Section = "Invariants";

    /// <summary>Real time between checks (the first runs at start).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Real time before a breach is looked at again: one that is gone was a change under way, not a breach.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConfirmAfter { get; set; } = TimeSpan.FromSeconds(2);
}
