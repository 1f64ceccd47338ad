using Remarketing.ServiceDefaults.HandOffs;

namespace Remarketing.Auction.Engine;

/// <summary>What a listing owes other services when it opens and when it ends; the engine writes them to <see cref="Outbox"/> once each.</summary>
public interface IListingHandOffs
{
    Outbox Outbox { get; }

    IReadOnlyList<HandOff> Listed(ListingRecord listing);

    IReadOnlyList<HandOff> Ended(ListingRecord listing);
}
