namespace Remarketing.Auction.Engine;

/// <summary>
/// Every Redis key of the Auction service. A listing's keys share the hash tag {listing:&lt;id&gt;}
/// so its scripts touch one slot and the engine runs on Redis Cluster.
/// </summary>
public static class AuctionKeys
{
    /// <summary>
    /// Sharded pub/sub channel in the auction's own slot: "&lt;listing id&gt; 0 0" when a listing is
    /// created, for every instance to join the listing's <see cref="Changes"/> channel.
    /// </summary>
    public const string ListingsChannel = "auction:{auction}:listings";

    /// <summary>Sorted set of listings not yet closed, scored by their end (ms): the closer's work list.</summary>
    public const string Closing = "auction:closing";

    /// <summary>Sorted set of live listings, scored by creation (ms).</summary>
    public const string Live = "auction:live";

    /// <summary>Sorted set of closed listings, scored by close (ms).</summary>
    public const string Closed = "auction:closed";

    /// <summary>
    /// What listings have handed off to other services ("listed:&lt;id&gt;", "ended:&lt;id&gt;"), in the
    /// outbox's slot, so each hand-off is written once (the outbox itself is <c>auction:{auction}:outbox</c>).
    /// </summary>
    public const string HandedOff = "auction:{auction}:outbox:published";

    /// <summary>The live listing a vehicle is on: one at a time, claimed before the listing is created, released when it closes.</summary>
    public static string VehicleClaim(string vin) => $"auction:{{vin:{vin}}}:listing";

    public static string State(string listingId) => $"{Tag(listingId)}:state";

    /// <summary>The listing a <see cref="State"/> key names: "L-1" for "auction:{listing:L-1}:state".</summary>
    public static string ListingIdOfState(string key) => key[(Tag("").Length - 1)..key.LastIndexOf('}')];

    public static string Events(string listingId) => $"{Tag(listingId)}:events";

    /// <summary>
    /// Sharded pub/sub channel in the listing's slot, published by its scripts after each change:
    /// "&lt;listing id&gt; &lt;first sequence&gt; &lt;last sequence&gt;". A wake-up only; the log is the truth.
    /// </summary>
    public static string Changes(string listingId) => $"{Tag(listingId)}:changes";

    /// <summary>Answers already given, by bid id or buy-now request id, for idempotent retries.</summary>
    public static string Answers(string listingId) => $"{Tag(listingId)}:answers";

    /// <summary>Each dealer's proxy maximum: read back only for that dealer.</summary>
    public static string Maxima(string listingId) => $"{Tag(listingId)}:maxima";

    /// <summary>Each bidder's alias number ("Bidder 4"); also the set of dealers who bid.</summary>
    public static string Aliases(string listingId) => $"{Tag(listingId)}:aliases";

    private static string Tag(string listingId) => $"auction:{{listing:{listingId}}}";
}
