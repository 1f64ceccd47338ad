namespace Remarketing.Inspection.Domain;

/// <summary>An order in the remarketing center's queue, and, if Quote refused its result, why and which hand-off to replay.</summary>
public sealed record PendingOrder(InspectionOrderRecord Order, Dispute? Dispute = null);

/// <param name="Reason">Quote's last answer to the result, e.g. the odometer below the signed statement.</param>
/// <param name="HandOffEntryId">The failed hand-off of the result, for ReplayHandOff once corrected.</param>
public sealed record Dispute(string Reason, string HandOffEntryId);
