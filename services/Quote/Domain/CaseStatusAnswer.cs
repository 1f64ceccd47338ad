namespace Remarketing.Quote.Domain;

public sealed record CaseStatusAnswer(
    string CaseId, string AccountId, string Vin, CaseState State, IReadOnlyList<CaseEventRecord> Events, string WaitingFor, DateTimeOffset? WaitingDueBy, bool Ended);
