namespace Remarketing.Quote.Domain;

/// <summary>
/// What a change to an account records beside it, in the same transaction: the case index, the
/// schedules the clock jobs read, and the hand-off to remarketing. The store decides how.
/// </summary>
public abstract record SideRecord
{
    private SideRecord()
    {
    }

    /// <summary>The case can be found from its id.</summary>
    public sealed record CaseIndexed(string CaseId) : SideRecord;

    /// <summary>The account can be found from its vehicle's VIN (the latest account leasing it).</summary>
    public sealed record VinIndexed(string Vin) : SideRecord;

    public sealed record ReturnKitScheduled(DateTimeOffset DueAt) : SideRecord;

    public sealed record ReturnKitUnscheduled : SideRecord;

    public sealed record HoldScheduled(DateTimeOffset EndsAt) : SideRecord;

    public sealed record HoldUnscheduled : SideRecord;

    public sealed record QueuedForRemarketing(RemarketingHandOff HandOff) : SideRecord;
}
