using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;
using Remarketing.Transport.Domain;

namespace Remarketing.Transport;

/// <summary>
/// The Transport service's operations, on plain values: checks what a caller may do, decides on
/// the clock's time with the rules (<see cref="ReleaseRules"/>, <see cref="PickupAccess"/>), and
/// stores the outcome through <see cref="TransportStore"/> with the hand-offs to Quote. Every
/// refusal throws before anything is written, but one: a release refused after the order was
/// looked at is recorded on the order, then refused. <see cref="TransportGrpcService"/> turns
/// requests into these values and answers into responses.
/// </summary>
public sealed class PickupDesk(TransportStore store, TimeProvider clock, IOptions<TransportOptions> options)
{
    private TransportOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// One order per case and listing: its id is made from them, so a second request for the same
    /// pair finds the first order instead of making another.
    /// </summary>
    public static string OrderIdOf(string caseId, string listingId) => "P-" + CompositeKey.Hashed(caseId, listingId)[..20];

    public async Task<OrderAnswer> CreatePickupAsync(Caller caller, NewPickup ask)
    {
        var kind = ask.Kind ?? throw DomainException.InvalidArgument(
            "kind is required: PICKUP_KIND_BUYER for a sold vehicle its buyer collects, PICKUP_KIND_TRANSPORTER for an unsold or not auction eligible one a carrier collects");
        var caseId = Ids.Required(ask.CaseId, "case_id");
        var listingId = ask.ListingId.Trim();
        var vehicle = CheckedVehicle(ask.Vehicle);
        var groundingDealerId = Ids.Required(ask.GroundingDealerId, "grounding_dealer_id");
        var buyerId = ask.BuyerDealerId.Trim();
        var proofOfSale = ask.ProofOfSaleId.Trim();
        if (kind == PickupType.Buyer && buyerId.Length == 0)
            throw DomainException.InvalidArgument("a buyer pickup needs buyer_dealer_id: the dealer that bought the vehicle");
        if (kind == PickupType.Buyer && proofOfSale.Length == 0)
            throw DomainException.InvalidArgument("a buyer pickup needs proof_of_sale_id: the document its buyer collects the vehicle with");
        if (kind == PickupType.Transporter && (buyerId.Length > 0 || proofOfSale.Length > 0))
            throw DomainException.InvalidArgument("a transporter pickup has no buyer: leave buyer_dealer_id and proof_of_sale_id empty (a sold vehicle is a buyer pickup)");

        var request = IdempotentRequest.Of(nameof(CreatePickupAsync), caller, ask.RequestId, ask);
        var orderId = OrderIdOf(caseId, listingId);
        // One vehicle, one disposal: once it has left the lot on one order, no other collects it.
        if ((await store.OrdersOfCaseAsync(caseId)).FirstOrDefault(other => other.OrderId != orderId && other.IsReleased) is { } left)
        {
            throw DomainException.FailedPrecondition(
                $"the vehicle of case {caseId} already left its lot on pickup order {left.OrderId} ({Describe(left.Kind)}, {left.State} {left.ReleasedAt:yyyy-MM-dd}): " +
                "a vehicle is picked up once");
        }
        if (kind == PickupType.Buyer && await store.OrderOfDocumentAsync(proofOfSale) is { } holder && holder != orderId)
            throw DomainException.AlreadyExists($"proof of sale {proofOfSale} is already on pickup order {holder}: one proof of sale releases one vehicle");
        var now = Now;
        var dueBy = now + Options.PickupWindow;
        return await store.ChangeAsync(orderId, request, existing =>
        {
            if (existing is not null)
            {
                if (existing.Kind != kind || existing.Vehicle.Vin != vehicle.Vin || existing.GroundingDealerId != groundingDealerId
                    || existing.BuyerDealerId != buyerId || existing.ProofOfSaleId != proofOfSale)
                {
                    throw DomainException.AlreadyExists(
                        $"case {caseId}{(listingId.Length > 0 ? $" (listing {listingId})" : "")} already has pickup order {existing.OrderId}, " +
                        $"a {Describe(existing.Kind)} of VIN {existing.Vehicle.Vin} at dealer {existing.GroundingDealerId}: one pickup per case and listing");
                }
                return new Decision<OrderAnswer>(existing, Answer(caller, existing, now));
            }

            var order = new PickupOrderRecord(orderId, kind, caseId, listingId, vehicle, groundingDealerId, buyerId, proofOfSale, ask.Destination.Trim(), now, dueBy)
                { Journey = Journey.Current }.Changed();
            var detail = kind == PickupType.Buyer
                ? $"buyer pickup by dealer {buyerId}, due by {dueBy:yyyy-MM-dd HH:mm}Z"
                : $"transporter pickup awaiting a carrier, due by {dueBy:yyyy-MM-dd HH:mm}Z";
            return new Decision<OrderAnswer>(order, Answer(caller, order, now))
            {
                Change = OrderChange.Ordered,
                At = now,
                SideRecords = [new SideRecord.OrderIndexed(order), Reported(order, OrderChange.Ordered, "ordered", now, detail)],
            };
        });
    }

    public async Task<OrderAnswer> GetOrderAsync(Caller caller, string orderId) => Answer(caller, await VisibleOrderAsync(caller, orderId), Now);

    /// <summary>The order a WatchOrder stream starts from, as stored (the stream shows it through the caller's view).</summary>
    public async Task<PickupOrderRecord> WatchableOrderAsync(Caller caller, string orderId, long afterSequence)
    {
        var order = await VisibleOrderAsync(caller, orderId);
        if (afterSequence < 0 || afterSequence > order.Sequence)
            throw DomainException.InvalidArgument($"after_sequence must be between 0 and the order's latest sequence ({order.Sequence})");
        return order;
    }

    public async Task<OrdersPage> ListOrdersAsync(Caller caller, OrderQuery query)
    {
        var size = Paging.Size(query.PageSize);
        var token = query.PageToken.Trim();
        if (token.Length > 0 && !TransportStore.IsMember(token))
            throw DomainException.InvalidArgument("page_token is not one this service gave: pass next_page_token from the previous page, or nothing for the first page");
        var now = Now;
        var (orders, next) = await store.PageAsync(caller, query.OverdueOnly, now, token, size, order =>
            PickupAccess.CanSee(caller, order) && (query.State is not { } state || order.State == state) && (!query.OverdueOnly || order.IsOverdueAt(now)));
        return new OrdersPage([.. orders.Select(order => PickupAccess.SeenBy(caller, order))], now, next);
    }

    public async Task<OrderAnswer> AssignCarrierAsync(Caller caller, CarrierAssignment ask)
    {
        var orderId = Ids.Required(ask.OrderId, "order_id");
        var named = ask.CarrierId.Trim();
        string carrierId;
        if (caller.Role == RoleNames.Transporter)
        {
            if (named.Length > 0 && named != caller.Subject)
                throw DomainException.PermissionDenied("a transporter assigns only itself: leave carrier_id empty or give your own carrier id");
            carrierId = caller.Subject;
        }
        else
        {
            carrierId = named.Length > 0 ? named : throw DomainException.InvalidArgument("carrier_id is required: name the carrier to assign");
        }

        var request = IdempotentRequest.Of(nameof(AssignCarrierAsync), caller, ask.RequestId, ask);
        var now = Now;
        return await store.ChangeAsync(orderId, request, stored =>
        {
            // A buyer pickup is none of a transporter's business: it answers as a missing order.
            var order = stored is not null && (caller.Role != RoleNames.Transporter || stored.Kind == PickupType.Transporter) ? stored : throw NoSuchOrder(orderId);
            if (order.Kind == PickupType.Buyer)
                throw DomainException.FailedPrecondition($"pickup order {orderId} is a buyer pickup: its buyer collects the vehicle against its proof of sale, with no carrier");
            if (order.IsReleased)
                throw DomainException.FailedPrecondition($"the vehicle of pickup order {orderId} was released at {order.ReleasedAt:yyyy-MM-dd HH:mm:ss}Z: its carrier can no longer change");
            if (order.Bill is { } held && order.CarrierId != carrierId)
            {
                if (caller.Role == RoleNames.Transporter)
                    throw DomainException.FailedPrecondition($"pickup order {orderId} is already assigned to another carrier");
                if (held.IsValidAt(now))
                {
                    throw DomainException.FailedPrecondition(
                        $"pickup order {orderId} is assigned to carrier {order.CarrierId} until its bill of lading expires at {held.ExpiresAt:yyyy-MM-dd HH:mm:ss}Z: another carrier can be assigned after that");
                }
            }
            if (order.Bill is { } current && order.CarrierId == carrierId && current.IsValidAt(now))
                return new Decision<OrderAnswer>(order, Answer(caller, order, now));

            var bill = BillOfLading.Issue(carrierId, now, Options.BillOfLadingValidity);
            var assigned = (order with
            {
                State = OrderState.ReadyForPickup,
                CarrierId = carrierId,
                Bill = bill,
                EarlierBills = order.Bill is { } expired ? [.. order.EarlierBills, expired] : order.EarlierBills,
            }).Changed();
            var issued = assigned.EarlierBills.Count + 1;
            var detail = $"carrier {carrierId} assigned; bill of lading valid until {bill.ExpiresAt:yyyy-MM-dd HH:mm}Z" +
                (order.Bill is { } last ? $" (a new one: the last expired at {last.ExpiresAt:yyyy-MM-dd HH:mm}Z)" : "");
            return new Decision<OrderAnswer>(assigned, Answer(caller, assigned, now))
            {
                Change = OrderChange.CarrierAssigned,
                At = now,
                SideRecords =
                [
                    new SideRecord.CarrierIndexed(assigned, order.CarrierId),
                    Reported(assigned, OrderChange.CarrierAssigned, $"carrier-assigned/{issued}", now, detail),
                ],
            };
        });
    }

    public async Task<OrderAnswer> ReleaseVehicleAsync(Caller dealer, ReleaseAsk ask)
    {
        var orderId = Ids.Required(ask.OrderId, "order_id");
        var document = ask.DocumentId.Trim();
        if (document.Length == 0)
        {
            throw DomainException.InvalidArgument(
                "document_id is required: the document presented at the lot, the buyer's proof of sale (buyer pickup) or the carrier's bill of lading (transporter pickup)");
        }
        var request = IdempotentRequest.Of(nameof(ReleaseVehicleAsync), dealer, ask.RequestId, ask);
        var documentOrderId = await store.OrderOfDocumentAsync(document);
        var now = Now;
        var outcome = await store.ChangeAsync(orderId, request, stored =>
        {
            // Another dealer's order answers exactly as a missing one.
            var order = stored is not null && stored.GroundingDealerId == dealer.Subject ? stored : throw NoSuchOrder(orderId);
            if (ReleaseRules.Check(order, document, documentOrderId, now) is { } refusal)
            {
                if (refusal.Recorded is null)
                    throw refusal.ToException();
                var refused = order.WithRefusal(new RefusedRelease(dealer.Subject, now, refusal.Recorded)).Changed();
                return new Decision<ReleaseOutcome>(refused, new ReleaseOutcome(null, refusal))
                {
                    Change = OrderChange.ReleaseRefused,
                    At = now,
                    // The first refusals go to Quote; the order counts every one.
                    SideRecords = refused.RefusedReleaseCount > PickupOrderRecord.ListedRefusals ? [] :
                    [
                        Reported(refused, OrderChange.ReleaseRefused, $"release-refused/{refused.RefusedReleaseCount}", now,
                            $"release refused at dealer {dealer.Subject}: {refusal.Recorded}"),
                    ],
                };
            }

            var released = (order with { State = OrderState.Released, ReleasedAt = now }).Changed();
            var detail = order.Kind == PickupType.Buyer
                ? $"released to buyer {order.BuyerDealerId} against its proof of sale"
                : $"released to carrier {order.CarrierId} against its bill of lading";
            return new Decision<ReleaseOutcome>(released, new ReleaseOutcome(Answer(dealer, released, now), null))
            {
                Change = OrderChange.Released,
                At = now,
                SideRecords = [new SideRecord.Unscheduled(released), Reported(released, OrderChange.Released, "released", now, detail)],
            };
        });
        return outcome.Released ?? throw (outcome.Refused ?? throw new InvalidOperationException($"release of {orderId}: an outcome with neither answer")).ToException();
    }

    public async Task<OrderAnswer> ConfirmDeliveryAsync(Caller caller, DeliveryAsk ask)
    {
        var orderId = Ids.Required(ask.OrderId, "order_id");
        var request = IdempotentRequest.Of(nameof(ConfirmDeliveryAsync), caller, ask.RequestId, ask);
        var now = Now;
        return await store.ChangeAsync(orderId, request, stored =>
        {
            var order = stored is not null && PickupAccess.CanSee(caller, stored) ? stored : throw NoSuchOrder(orderId);
            // A transporter also sees pickups no carrier has taken; only the assigned one delivers.
            if (order.Kind == PickupType.Transporter && order.CarrierId != caller.Subject)
                throw DomainException.FailedPrecondition($"pickup order {orderId} has no carrier yet: only its assigned carrier confirms delivery");
            if (order.State == OrderState.Delivered)
                throw DomainException.FailedPrecondition($"pickup order {orderId} was already delivered at {order.DeliveredAt:yyyy-MM-dd HH:mm:ss}Z");
            if (order.State != OrderState.Released)
                throw DomainException.FailedPrecondition($"the vehicle of pickup order {orderId} has not been released yet: confirm delivery once the grounding dealer has released it to you");

            var delivered = (order with { State = OrderState.Delivered, DeliveredAt = now }).Changed();
            var detail = order.Kind == PickupType.Buyer
                ? $"delivered to buyer {order.BuyerDealerId} (confirmed by the buyer)"
                : $"delivered by carrier {order.CarrierId}{(order.Destination.Length is > 0 and <= 200 ? $" to {order.Destination}" : "")}";
            return new Decision<OrderAnswer>(delivered, Answer(caller, delivered, now))
            {
                Change = OrderChange.Delivered,
                At = now,
                SideRecords = [Reported(delivered, OrderChange.Delivered, "delivered", now, detail)],
            };
        });
    }

    private async Task<PickupOrderRecord> VisibleOrderAsync(Caller caller, string orderId)
    {
        var id = Ids.Required(orderId, "order_id");
        var order = await store.FindAsync(id);
        return order is not null && PickupAccess.CanSee(caller, order) ? order : throw NoSuchOrder(id);
    }

    private static OrderAnswer Answer(Caller caller, PickupOrderRecord order, DateTimeOffset now) => new(PickupAccess.SeenBy(caller, order), now);

    private static SideRecord.CaseEventReported Reported(PickupOrderRecord order, OrderChange step, string what, DateTimeOffset at, string detail) =>
        new(new CaseEventReport($"transport/order/{order.OrderId}/{what}", order.CaseId, step, at, order.OrderId, detail, order.Journey));

    private static VehicleRecord CheckedVehicle(VehicleRecord? vehicle)
    {
        if (vehicle is null)
            throw DomainException.InvalidArgument("vehicle is required, with its VIN");
        var vin = vehicle.Vin.Trim().ToUpperInvariant();
        if (Vin.Problem(vin) is { } problem)
            throw DomainException.InvalidArgument($"vehicle.vin: {problem}");
        if (vehicle.ModelYear is not 0 and (< 1900 or > 2200))
            throw DomainException.InvalidArgument($"vehicle.model_year {vehicle.ModelYear} is not a model year (leave it 0 if unknown)");
        return new VehicleRecord(vin, vehicle.ModelYear, vehicle.Make.Trim(), vehicle.Model.Trim(), vehicle.Trim.Trim());
    }

    private static string Describe(PickupType kind) => kind == PickupType.Buyer ? "buyer pickup" : "transporter pickup";

    private static DomainException NoSuchOrder(string orderId) => DomainException.NotFound($"no pickup order {orderId}");
}
