namespace Remarketing.Quote.Domain;

public sealed record LetterRecord(string LetterId, LetterType Kind, DateTimeOffset Dated, IReadOnlyList<Line> Lines)
{
    /// <summary>A return kit's contents (its lines are empty: a kit lays out options, it bills nothing).</summary>
    public KitContents? Kit { get; init; }

    public long TotalCents => Lines.Sum(line => line.AmountCents);
}
