using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// The shared clock (DESIGN section 5): every process given the same epoch, start and speed
/// reads the same simulated time. Outside a simulation, leave all three unset.
/// </summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    /// <summary>The real instant at which the shared clock reads <see cref="Start"/>. Required when Speed is not 1.</summary>
    public DateTimeOffset? Epoch { get; set; }

    /// <summary>The clock's reading at <see cref="Epoch"/>. Unset = the epoch itself.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>How many times faster than real time the clock runs.</summary>
    [Range(0.001, ClockDefinition.MaxSpeed)]
    public double Speed { get; set; } = 1;
}
