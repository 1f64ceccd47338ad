using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>
/// The one reader of the scripts' replies: each script returns an array whose first element names
/// the outcome (see each script's header); this turns it into a typed result.
/// </summary>
public static class ScriptResults
{
    public static Placement Placement(RedisResult result)
    {
        var items = Items(result);
        return (string?)items[0] switch
        {
            "answer" => new Placement(PlacementOutcome.Answered, Answer(items)),
            "repeat" => new Placement(PlacementOutcome.Repeated, Answer(items)),
            "conflict" => new Placement(PlacementOutcome.Conflict, null),
            "not_found" => new Placement(PlacementOutcome.NotFound, null),
            "own_listing" => new Placement(PlacementOutcome.OwnListing, null),
            "held" => new Placement(PlacementOutcome.Held, null),
            var other => throw Unknown("place_bid", other),
        };
    }

    public static Purchase Purchase(RedisResult result)
    {
        var items = Items(result);
        return (string?)items[0] switch
        {
            "bought" => new Purchase(PurchaseOutcome.Bought, (string)items[1]!, 0),
            "repeat" => new Purchase(PurchaseOutcome.Repeated, (string)items[1]!, 0),
            "not_found" => new Purchase(PurchaseOutcome.NotFound, "", 0),
            "own_listing" => new Purchase(PurchaseOutcome.OwnListing, "", 0),
            "closed" => new Purchase(PurchaseOutcome.Closed, "", 0),
            "no_buy_now" => new Purchase(PurchaseOutcome.NoBuyNow, "", 0),
            "price_reached" => new Purchase(PurchaseOutcome.PriceReached, "", (long)items[1]),
            "held" => new Purchase(PurchaseOutcome.Held, "", 0),
            var other => throw Unknown("buy_now", other),
        };
    }

    public static Closing Closing(RedisResult result)
    {
        var items = Items(result);
        return (string?)items[0] switch
        {
            "closed" => new Closing(CloseOutcome.Closed, ListingSchema.ParseStatus((string)items[1]!), "", 0),
            "already" => new Closing(CloseOutcome.AlreadyEnded, ListingSchema.ParseStatus((string)items[1]!), (string?)items[2] ?? "", 0),
            "not_due" => new Closing(CloseOutcome.NotDue, null, "", (long)items[1]),
            "not_found" => new Closing(CloseOutcome.NotFound, null, "", 0),
            "held" => new Closing(CloseOutcome.Held, null, "", 0),
            var other => throw Unknown("close_listing", other),
        };
    }

    public static Creation Creation(RedisResult result)
    {
        var items = Items(result);
        return (string?)items[0] switch
        {
            "created" => new Creation(true, ""),
            "exists" => new Creation(false, (string?)items[1] ?? ""),
            var other => throw Unknown("create_listing", other),
        };
    }

    /// <summary>True when a compare-and-set script (swap_claim, publish_outcome) made its change.</summary>
    public static bool Changed(RedisResult result) => (long)result == 1;

    private static BidAnswer Answer(RedisResult[] items) => new(
        Accepted: (long)items[1] == 1,
        Rejection: (string?)items[2] switch
        {
            "" or null => BidRejection.None,
            "below_minimum" => BidRejection.BelowMinimum,
            "closed" => BidRejection.ListingClosed,
            "maximum_lowered" => BidRejection.MaximumLowered,
            "maximum_below_amount" => BidRejection.MaximumBelowAmount,
            "already_leading" => BidRejection.AlreadyLeading,
            var other => throw new InvalidOperationException($"place_bid gave an unknown rejection '{other}'"),
        },
        CurrentPriceCents: (long)items[3],
        MinimumNextBidCents: (long)items[4],
        CallerLeads: (long)items[5] == 1,
        Sequence: (long)items[6],
        EndsAt: DateTimeOffset.FromUnixTimeMilliseconds((long)items[7]),
        FloorMet: (long)items[8] == 1,
        CallerMaximumCents: (long)items[9]);

    private static RedisResult[] Items(RedisResult result) =>
        (RedisResult[]?)result ?? throw new InvalidOperationException("a script answered nothing");

    private static InvalidOperationException Unknown(string script, string? outcome) => new($"{script} answered an unknown outcome '{outcome}'");
}
