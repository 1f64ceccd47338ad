namespace Remarketing.Inspection.Domain;

/// <summary>What a change to an order decided: the order as it is to be stored, the answer, a new report, and the hand-offs it owes.</summary>
public sealed record OrderChange<T>(InspectionOrderRecord Order, T Answer)
{
    public ConditionReportRecord? Report { get; init; }

    public IReadOnlyList<InspectionHandOff> HandOffs { get; init; } = [];
}
