using System.Globalization;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

/// <summary>
/// One entry of a listing's log as the scripts wrote it (stream id "&lt;sequence&gt;-0"), read once
/// into typed fields. Internal: it names dealers, so it is only ever turned into per-caller views.
/// </summary>
public sealed record StoredEvent(long Sequence, EventKind Kind, DateTimeOffset OccurredAt)
{
    /// <summary>Bid: the price after it. Close: the sale price (0 unless sold).</summary>
    public long PriceCents { get; init; }

    /// <summary>Bid: the leader's alias. Close: the winner's (0 unless sold).</summary>
    public int Alias { get; init; }

    public long MinimumNextBidCents { get; init; }

    /// <summary>The engine placed this bid for a proxy maximum.</summary>
    public bool Proxy { get; init; }

    public bool FloorMet { get; init; }

    public int BidCount { get; init; }

    /// <summary>The leader after the bid (a dealer id).</summary>
    public string Leader { get; init; } = "";

    /// <summary>The leader before the bid ("" if none).</summary>
    public string PreviousLeader { get; init; } = "";

    /// <summary>The dealer whose bid made this event, and that bid's id.</summary>
    public string Bidder { get; init; } = "";

    public string BidId { get; init; } = "";

    /// <summary>Extension: the new end.</summary>
    public DateTimeOffset? NewEnd { get; init; }

    /// <summary>Close: how the listing ended, who won ("" unless sold), and why.</summary>
    public ListingStatus? Status { get; init; }

    public string Winner { get; init; } = "";

    public string Reason { get; init; } = "";

    public static StoredEvent From(StreamEntry entry)
    {
        var fields = entry.Values.ToDictionary(value => value.Name.ToString(), value => value.Value.ToString(), StringComparer.Ordinal);
        string Text(string name) => fields.GetValueOrDefault(name, "");
        long Number(string name) => long.TryParse(Text(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var sequence = long.Parse(entry.Id.ToString().Split('-')[0], CultureInfo.InvariantCulture);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(Number(EventField.At));
        return Text(EventField.Type) switch
        {
            EventType.Bid => new StoredEvent(sequence, EventKind.Bid, at)
            {
                PriceCents = Number(EventField.Price),
                Alias = (int)Number(EventField.Alias),
                MinimumNextBidCents = Number(EventField.MinimumNext),
                Proxy = Number(EventField.Proxy) == 1,
                FloorMet = Number(EventField.FloorMet) == 1,
                BidCount = (int)Number(EventField.BidCount),
                Leader = Text(EventField.Leader),
                PreviousLeader = Text(EventField.PreviousLeader),
                Bidder = Text(EventField.Bidder),
                BidId = Text(EventField.BidId),
            },
            EventType.Extension => new StoredEvent(sequence, EventKind.Extension, at)
            {
                NewEnd = DateTimeOffset.FromUnixTimeMilliseconds(Number(EventField.NewEnd)),
            },
            EventType.Close => new StoredEvent(sequence, EventKind.Close, at)
            {
                Status = ParseStatus(Text(EventField.Status)),
                PriceCents = Number(EventField.Price),
                Winner = Text(EventField.Winner),
                Alias = (int)Number(EventField.Alias),
                Reason = Text(EventField.Reason),
            },
            var other => throw new InvalidOperationException($"unknown event type '{other}' at sequence {sequence}"),
        };
    }

    /// <summary>The stream id range start for events after <paramref name="sequence"/>.</summary>
    public static string After(long sequence) => $"{sequence + 1}-0";
}
