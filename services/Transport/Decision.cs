using Remarketing.Transport.Domain;

namespace Remarketing.Transport;

/// <summary>What a change decided: the order as it is to be stored, the answer, and what to write with it.</summary>
public sealed record Decision<T>(PickupOrderRecord Order, T Response)
{
    /// <summary>The change for the order's log, at <see cref="At"/>; null when the order did not change.</summary>
    public OrderChange? Change { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Written in the same transaction as the order.</summary>
    public IReadOnlyList<SideRecord> SideRecords { get; init; } = [];
}
