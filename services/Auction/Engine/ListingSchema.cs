using System.Reflection;
using System.Text;

namespace Remarketing.Auction.Engine;

/// <summary>
/// Every name the Auction's records use in Redis, written once. The C# side reads and writes with
/// these constants; each script starts with Lua tables generated from them (<see cref="LuaPrelude"/>:
/// <c>field.price</c>, <c>event_field.price</c>, <c>event_type.bid</c>, <c>status.live</c>), so
/// no script spells a name itself. Short names on the wire are fine: this class owns them.
/// </summary>
public static class ListingSchema
{
    /// <summary>Fields of a listing's state hash (<see cref="AuctionKeys.State"/>).</summary>
    public static class Field
    {
        public const string ListingId = "listing_id";
        public const string Vin = "vin";
        public const string ModelYear = "year";
        public const string Make = "make";
        public const string Model = "model";
        public const string Trim = "trim";
        public const string OdometerMiles = "odometer";
        public const string ConditionGradeTenths = "grade";
        public const string GroundingDealer = "grounding";
        public const string CaseId = "case";
        public const string ConditionReportId = "condition_report";
        public const string Status = "status";
        public const string OpensAt = "opens";
        public const string EndsAt = "ends";
        public const string OpeningPrice = "opening";
        public const string FloorPrice = "floor";
        public const string BuyNowPrice = "buynow";
        public const string Price = "price";
        public const string Leader = "leader";
        public const string LeaderMaximum = "lmax";
        public const string LeaderAlias = "lalias";
        public const string BidCount = "count";
        public const string Sequence = "seq";
        public const string AliasCount = "aliases";
        public const string Fingerprint = "fingerprint";
        public const string ClosedAt = "closed_at";
        public const string Reason = "reason";

        /// <summary>The traceparent of the vehicle's journey (the CreateListing call's trace): the listing's hand-offs are sent in it.</summary>
        public const string Journey = "journey";
        public const string SalePrice = "sale";
        public const string Buyer = "buyer";
        public const string ProofOfSale = "proof";
        public const string CloseRequest = "close_request";
    }

    /// <summary>Fields of an entry on a listing's log (<see cref="AuctionKeys.Events"/>, stream id "&lt;sequence&gt;-0").</summary>
    public static class EventField
    {
        public const string Type = "t";
        public const string At = "at";

        /// <summary>Bid: the price after it. Close: the sale price (0 unless sold).</summary>
        public const string Price = "p";

        /// <summary>Bid: the leader's alias. Close: the winner's.</summary>
        public const string Alias = "a";
        public const string MinimumNext = "n";
        public const string Proxy = "x";
        public const string FloorMet = "f";
        public const string BidCount = "c";
        public const string Leader = "l";
        public const string PreviousLeader = "o";
        public const string Bidder = "b";
        public const string BidId = "i";
        public const string NewEnd = "e";
        public const string Status = "s";
        public const string Winner = "w";
        public const string Reason = "r";
    }

    /// <summary>The kinds of entry on a listing's log.</summary>
    public static class EventType
    {
        public const string Bid = "bid";
        public const string Extension = "ext";
        public const string Close = "close";
    }

    /// <summary>A listing's status as stored.</summary>
    public static class Status
    {
        public const string Live = "live";
        public const string Sold = "sold";
        public const string Unsold = "unsold";
        public const string Withdrawn = "withdrawn";
    }

    /// <summary>The stored status of <paramref name="status"/>.</summary>
    public static string Stored(ListingStatus status) => status switch
    {
        ListingStatus.Live => Status.Live,
        ListingStatus.Sold => Status.Sold,
        ListingStatus.Unsold => Status.Unsold,
        _ => Status.Withdrawn,
    };

    public static ListingStatus ParseStatus(string status) => status switch
    {
        Status.Live => ListingStatus.Live,
        Status.Sold => ListingStatus.Sold,
        Status.Unsold => ListingStatus.Unsold,
        Status.Withdrawn => ListingStatus.Withdrawn,
        _ => throw new InvalidOperationException($"unknown listing status '{status}'"),
    };

    /// <summary>
    /// What every script starts with: one Lua table per class above that a script uses (keys in
    /// snake case), and the functions more than one script needs: <c>alias_of</c> (a bidder's
    /// alias on the listing, given on its first bid) and <c>announce</c> (the sharded pub/sub message of
    /// <see cref="Announcement"/>).
    /// </summary>
    public static string LuaPrelude { get; } =
        Table("field", typeof(Field)) + Table("event_field", typeof(EventField)) + Table("event_type", typeof(EventType)) + Table("status", typeof(Status)) +
        """
        local function alias_of(aliases, state, bidder)
          local alias = redis.call('HGET', aliases, bidder)
          if not alias then
            alias = redis.call('HINCRBY', state, field.alias_count, 1)
            redis.call('HSET', aliases, bidder, alias)
          end
          return alias
        end
        local function announce(channel, listing, first, last)
          redis.call('SPUBLISH', channel, listing .. ' ' .. first .. ' ' .. last)
        end

        """;

    /// <summary>
    /// The pub/sub message a script publishes on the listing's changes channel once it has appended events
    /// <paramref name="FirstSequence"/>..<paramref name="LastSequence"/> to a listing's log:
    /// "&lt;listing id&gt; &lt;first&gt; &lt;last&gt;", written by the prelude's <c>announce</c>.
    /// </summary>
    public sealed record Announcement(string ListingId, long FirstSequence, long LastSequence)
    {
        public string Message => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ListingId} {FirstSequence} {LastSequence}");

        /// <summary>The announcement <paramref name="message"/> carries; null if it is not one.</summary>
        public static Announcement? Parse(string? message)
        {
            var parts = (message ?? "").Split(' ');
            return parts.Length == 3 && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first)
                && long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var last)
                ? new Announcement(parts[0], first, last)
                : null;
        }
    }

    private static string Table(string name, Type names)
    {
        var entries = names.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(constant => constant.IsLiteral)
            .Select(constant => $"{SnakeCase(constant.Name)} = '{constant.GetRawConstantValue()}'");
        return $"local {name} = {{ {string.Join(", ", entries)} }}\n";
    }

    private static string SnakeCase(string name)
    {
        var snake = new StringBuilder();
        foreach (var character in name)
        {
            if (char.IsUpper(character) && snake.Length > 0)
                snake.Append('_');
            snake.Append(char.ToLowerInvariant(character));
        }
        return snake.ToString();
    }
}
