namespace Remarketing.Quote.Domain;

/// <summary>What a return case settles at; <paramref name="Final"/> once nothing can change it.</summary>
public sealed record SettlementAnswer(string CaseId, string AccountId, Termination Termination, Figures Figures, bool Final);
