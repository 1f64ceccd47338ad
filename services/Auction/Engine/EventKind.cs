using System.Globalization;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

public enum EventKind
{
    Bid,

    /// <summary>A soft-close extension of the end.</summary>
    Extension,
    Close,
}
