using System.Globalization;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// Changes the running shared clock (SetClock), only where Clock:Control allows it. The change
/// starts from the clock as it stands, so its time never goes back; it is stored in Redis for
/// every process, followed here at once, and announced to the others.
/// </summary>
public sealed class ClockControl(SharedClock clock, ClockStore? store, TimeProvider real, IOptions<ClockOptions> options)
{
    /// <summary>The longest jump one call may make.</summary>
    public static readonly TimeSpan LongestAdvance = TimeSpan.FromDays(3650);

    /// <summary>The definition the change made (for a repeated request id: the one it made the first time).</summary>
    public async Task<ClockDefinition> SetAsync(Caller caller, string requestId, ClockChange change)
    {
        if (!options.Value.Control)
            throw DomainException.FailedPrecondition(
                "this system's clock may not be changed while it runs (Clock:Control is off; only the local profile and tests turn it on)");
        if (!clock.IsShared || store is null)
            throw DomainException.FailedPrecondition(
                "this system runs on real time: there is no shared clock to change (start it with a clock, e.g. ./run.sh --speed 1440)");
        if (change.Speed is null && change.Advance is null)
            throw DomainException.InvalidArgument("give speed (0 pauses the clock), advance (how far to move it forward), or both");
        if (change.Speed is { } speed && !(speed >= 0 && speed <= ClockDefinition.MaxSpeed))
            throw DomainException.InvalidArgument(string.Create(CultureInfo.InvariantCulture,
                $"speed must be from 0 (paused) to {ClockDefinition.MaxSpeed:N0} times real time, not {speed}"));
        if (change.Advance < TimeSpan.Zero)
            throw DomainException.InvalidArgument("advance moves the clock forward only: give 0 or more (to slow the clock, lower its speed)");
        if (change.Advance > LongestAdvance)
            throw DomainException.InvalidArgument($"advance may move the clock at most {LongestAdvance.TotalDays:N0} days at once");
        var request = IdempotentRequest.Of("SetClock", caller, requestId, change);

        var next = await store.ChangeAsync(request, stored =>
        {
            var from = stored ?? clock.Definition;
            return from.ChangedAt(real.GetUtcNow(), change.Speed ?? from.Speed, change.Advance ?? TimeSpan.Zero);
        });
        clock.Follow(next);
        return next;
    }
}
