namespace Remarketing.Quote.Domain;

/// <summary>A step of a case's journey: when, what it refers to in the service that reported it, and when the next step is due.</summary>
public sealed record CaseEventRecord(JourneyStep Step, DateTimeOffset At, string Reference, string Detail, string Source, DateTimeOffset? DueBy);
