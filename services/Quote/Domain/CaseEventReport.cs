namespace Remarketing.Quote.Domain;

/// <summary>Another service reports a step of a case (RecordCaseEvent).</summary>
public sealed record CaseEventReport(string RequestId, string CaseId, JourneyStep? Step, DateTimeOffset? At, string Reference, string Detail, DateTimeOffset? DueBy);
