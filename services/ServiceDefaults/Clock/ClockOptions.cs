using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// The shared clock (DESIGN section 5). With an epoch, the clock is a simulation kept in Redis
/// for every process: the first process to start writes these settings there, and every process,
/// this one and any started later, follows what Redis holds. Outside a simulation, leave all unset.
/// </summary>
public sealed class ClockOptions
{
    public const string Section = "Clock";

    /// <summary>The environments where <see cref="Control"/> may be on.</summary>
    public static readonly IReadOnlySet<string> ControlEnvironments = new HashSet<string>(["Development", "Local", "Test"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The real instant at which the shared clock reads <see cref="Start"/>. Set: the clock is shared through Redis. Required when Speed is not 1.</summary>
    public DateTimeOffset? Epoch { get; set; }

    /// <summary>The clock's reading at <see cref="Epoch"/>. Unset = the epoch itself.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>How many times faster than real time the clock runs.</summary>
    [Range(0.001, ClockDefinition.MaxSpeed)]
    public double Speed { get; set; } = 1;

    /// <summary>Callers with the remarketing role may change the running clock (SetClock). Never in production.</summary>
    public bool Control { get; set; }
}
