namespace Remarketing.Transport.Domain;

/// <summary>A step of the case's journey, as the hand-off to Quote reports it.</summary>
/// <param name="RequestId">Names the event ("transport/order/&lt;id&gt;/released"), so Quote records it once.</param>
/// <param name="Detail">What a person reads; never a document's id.</param>
public sealed record CaseEventReport(string RequestId, string CaseId, OrderChange Step, DateTimeOffset At, string OrderId, string Detail, string Journey);
