namespace Remarketing.Quote.Domain;

public sealed record LetterRecord(string LetterId, LetterType Kind, DateTimeOffset Dated, IReadOnlyList<Line> Lines)
{
    public long TotalCents => Lines.Sum(line => line.AmountCents);
}
