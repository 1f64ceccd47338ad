namespace Remarketing.Quote.Domain;

/// <summary>A figured amount and the lines that explain it; the total is always the sum of the lines.</summary>
public sealed record Figures(IReadOnlyList<Line> Lines, long EarlyTerminationPayoffCents = 0, long EarlyTerminationChargeCents = 0)
{
    public long TotalCents => Lines.Sum(line => line.AmountCents);

    public bool Estimated => Lines.Any(line => line.Estimated);
}
