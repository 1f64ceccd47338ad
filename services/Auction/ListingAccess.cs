using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Auction;

/// <summary>
/// What a caller sees of a listing, and who may relay it: the floor and the buyer are the lender's
/// (and the buyer's own); a buying dealer is told when it is the one leading, and its own proxy
/// maximum, never another's; only the gateway relays a listing's events.
/// </summary>
public static class ListingAccess
{
    public static bool SeesFloor(Caller caller) => caller.Role is RoleNames.Remarketing or RoleNames.Service;

    public static bool SeesBuyer(Caller caller, string? buyerDealerId) =>
        SeesFloor(caller) || IsBuyer(caller, buyerDealerId);

    /// <summary>Whether <paramref name="caller"/> is the buying dealer <paramref name="dealerId"/> (the leader, the buyer): the leader's view and a buyer's own figures are for it alone.</summary>
    public static bool IsBuyer(Caller caller, string? dealerId) => caller.Role == RoleNames.Buyer && caller.Subject == dealerId;

    /// <summary>A buying dealer has a proxy maximum of its own on a listing; no one else is shown one.</summary>
    public static bool HasOwnMaximum(Caller caller) => caller.Role == RoleNames.Buyer;

    public static bool MayRelay(Caller caller) => caller is { Role: RoleNames.Service, Subject: Signers.Gateway };
}
