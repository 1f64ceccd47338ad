using Remarketing.ServiceDefaults.Domain;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

public enum BidRejection
{
    None,
    BelowMinimum,
    ListingClosed,
    MaximumLowered,
    MaximumBelowAmount,
    AlreadyLeading,
}
