using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Quote.Domain;

public sealed record LetterRecord(string LetterId, LetterKind Kind, DateTimeOffset Dated, IReadOnlyList<Line> Lines)
{
    public long TotalCents => Lines.Sum(line => line.AmountCents);
}
