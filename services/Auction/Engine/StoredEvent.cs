using System.Globalization;
using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>
/// One entry of a listing's event log as the scripts wrote it (stream id "&lt;sequence&gt;-0").
/// Internal: it names dealers, so it is only ever turned into per-caller views.
/// Fields: "at" (ms) on every event; bid: p price, n minimum next bid, a leader's alias, x 1 if
/// placed for a proxy maximum, f floor met, c bid count, l leader, o previous leader, b the dealer
/// whose bid made it, i that bid's id; ext: e new end (ms); close: s status, p sale price,
/// w winner, a winner's alias, r reason.
/// </summary>
public sealed class StoredEvent
{
    private readonly Dictionary<string, string> _fields;

    private StoredEvent(long sequence, Dictionary<string, string> fields)
    {
        Sequence = sequence;
        _fields = fields;
    }

    public long Sequence { get; }

    /// <summary>"bid", "ext" (soft-close extension) or "close".</summary>
    public string Type => Text("t");

    public DateTimeOffset OccurredAt => DateTimeOffset.FromUnixTimeMilliseconds(Number("at"));

    public string Text(string field) => _fields.GetValueOrDefault(field, "");

    public long Number(string field) => long.TryParse(Text(field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public static StoredEvent From(StreamEntry entry) => new(
        long.Parse(entry.Id.ToString().Split('-')[0], CultureInfo.InvariantCulture),
        entry.Values.ToDictionary(value => value.Name.ToString(), value => value.Value.ToString(), StringComparer.Ordinal));

    /// <summary>The stream id range start for events after <paramref name="sequence"/>.</summary>
    public static string After(long sequence) => $"{sequence + 1}-0";
}
