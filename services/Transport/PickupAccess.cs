using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Security;
using Remarketing.Transport.Domain;

namespace Remarketing.Transport;

/// <summary>
/// Which orders a caller may see, and what of them. The documents that release a vehicle are
/// shown only to whoever collects with them and to the lender: never to the grounding dealer,
/// who would otherwise release without being shown the document.
/// </summary>
public static class PickupAccess
{
    /// <summary>
    /// The grounding dealer sees the orders at its lot, a buyer its own pickups, a transporter the
    /// pickups no carrier has taken and its own, the remarketing center and services all.
    /// </summary>
    public static bool CanSee(Caller caller, PickupOrderRecord order) => caller.Role switch
    {
        RoleNames.Remarketing or RoleNames.Service => true,
        RoleNames.GroundingDealer => order.GroundingDealerId == caller.Subject,
        RoleNames.Buyer => order.Kind == PickupType.Buyer && order.BuyerDealerId == caller.Subject,
        RoleNames.Transporter => order.Kind == PickupType.Transporter && (order.State == OrderState.AwaitingCarrier || order.CarrierId == caller.Subject),
        _ => false,
    };

    /// <summary>Refused releases are the lender's to look into.</summary>
    public static bool SeesRefusals(Caller caller) => caller.Role is RoleNames.Remarketing or RoleNames.Service;

    /// <summary>
    /// The order as <paramref name="caller"/> may see it (one <see cref="CanSee"/> allows): the proof
    /// of sale for its buyer, the bill of lading for its carrier, refused releases and earlier
    /// bills for the lender only.
    /// </summary>
    public static PickupOrderRecord SeenBy(Caller caller, PickupOrderRecord order)
    {
        if (SeesRefusals(caller))
            return order;
        var ownsProof = caller.Role == RoleNames.Buyer && order.BuyerDealerId == caller.Subject;
        var ownsBill = caller.Role == RoleNames.Transporter && order.Bill is { } bill && bill.CarrierId == caller.Subject;
        return order with
        {
            ProofOfSaleId = ownsProof ? order.ProofOfSaleId : "",
            Bill = ownsBill ? order.Bill : null,
            EarlierBills = [],
            RefusedReleaseCount = 0,
            RefusedReleases = [],
        };
    }
}
