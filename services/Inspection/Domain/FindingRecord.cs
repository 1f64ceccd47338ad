namespace Remarketing.Inspection.Domain;

/// <summary>One observation and the wear standard's decision on it.</summary>
/// <param name="Rule">Why it is (or is not) chargeable, in words a dealer can check.</param>
public sealed record FindingRecord(string Observation, bool Chargeable, long ChargeCents, string Rule, int GradeDeductionTenths);
