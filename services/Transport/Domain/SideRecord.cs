namespace Remarketing.Transport.Domain;

/// <summary>
/// What a change to an order records beside it, in the same transaction: the indexes its callers
/// find it by, the due-time schedules, and the hand-offs to Quote. The store decides how.
/// </summary>
public abstract record SideRecord
{
    private SideRecord()
    {
    }

    /// <summary>A new order: every index it belongs to, its due time, its proof of sale.</summary>
    public sealed record OrderIndexed(PickupOrderRecord Order) : SideRecord;

    /// <summary>A carrier took the order (or took it again with a new bill of lading).</summary>
    /// <param name="PreviousCarrierId">The carrier it had before; empty if none.</param>
    public sealed record CarrierIndexed(PickupOrderRecord Order, string PreviousCarrierId) : SideRecord;

    /// <summary>Released: off the due-time schedules.</summary>
    public sealed record Unscheduled(PickupOrderRecord Order) : SideRecord;

    /// <summary>Its overdue time noticed: off the clock job's schedule.</summary>
    public sealed record OverdueNoted(PickupOrderRecord Order) : SideRecord;

    public sealed record CaseEventReported(CaseEventReport Report) : SideRecord;
}
