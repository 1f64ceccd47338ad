using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.Transport.Domain;
using CommonVehicle = Remarketing.Contracts.Common.V1.Vehicle;
using ContractRefusedRelease = Remarketing.Contracts.Transport.V1.RefusedRelease;

namespace Remarketing.Transport;

/// <summary>
/// Between the contract's messages and the domain: the one place the Transport service converts.
/// Orders come here already as their caller may see them (<see cref="PickupAccess.SeenBy"/>).
/// </summary>
public static class ProtoViews
{
    public static NewPickup ToDomain(CreatePickupRequest request) => new(
        request.RequestId, ToDomain(request.Kind), request.CaseId, request.ListingId,
        request.Vehicle is { } vehicle ? new VehicleRecord(vehicle.Vin, vehicle.ModelYear, vehicle.Make, vehicle.Model, vehicle.Trim) : null,
        request.GroundingDealerId, request.BuyerDealerId, request.ProofOfSaleId, request.Destination);

    public static CarrierAssignment ToDomain(AssignCarrierRequest request) => new(request.RequestId, request.OrderId, request.CarrierId);

    public static ReleaseAsk ToDomain(ReleaseVehicleRequest request) => new(request.RequestId, request.OrderId, request.DocumentId);

    public static DeliveryAsk ToDomain(ConfirmDeliveryRequest request) => new(request.RequestId, request.OrderId);

    public static OrderQuery ToDomain(ListPickupOrdersRequest request) =>
        new(ToDomain(request.State), request.OverdueOnly, request.Page?.PageSize ?? 0, request.Page?.PageToken ?? "");

    /// <summary>The domain's kind, or null when the request names none.</summary>
    public static PickupType? ToDomain(PickupKind kind) => kind switch
    {
        PickupKind.Unspecified => null,
        PickupKind.Buyer => PickupType.Buyer,
        PickupKind.Transporter => PickupType.Transporter,
        _ => throw DomainException.InvalidArgument($"kind {(int)kind} is not a pickup kind: PICKUP_KIND_BUYER or PICKUP_KIND_TRANSPORTER"),
    };

    /// <summary>The domain's state, or null for every state.</summary>
    public static OrderState? ToDomain(PickupOrderState state) => state switch
    {
        PickupOrderState.Unspecified => null,
        PickupOrderState.AwaitingCarrier => OrderState.AwaitingCarrier,
        PickupOrderState.ReadyForPickup => OrderState.ReadyForPickup,
        PickupOrderState.Released => OrderState.Released,
        PickupOrderState.Delivered => OrderState.Delivered,
        _ => throw DomainException.InvalidArgument($"state {(int)state} is not a pickup order state"),
    };

    public static PickupKind ToProto(PickupType kind) => kind == PickupType.Buyer ? PickupKind.Buyer : PickupKind.Transporter;

    public static PickupOrderState ToProto(OrderState state) => state switch
    {
        OrderState.AwaitingCarrier => PickupOrderState.AwaitingCarrier,
        OrderState.ReadyForPickup => PickupOrderState.ReadyForPickup,
        OrderState.Released => PickupOrderState.Released,
        _ => PickupOrderState.Delivered,
    };

    public static PickupOrder ToProto(OrderAnswer answer) => ToProto(answer.Order, answer.AsOf);

    public static ListPickupOrdersResponse ToProto(OrdersPage page)
    {
        var response = new ListPickupOrdersResponse { Page = new() { NextPageToken = page.NextPageToken } };
        response.Orders.Add(page.Orders.Select(order => ToProto(order, page.AsOf)));
        return response;
    }

    /// <summary>The order as it stands at <paramref name="asOf"/> (whether it is overdue then).</summary>
    public static PickupOrder ToProto(PickupOrderRecord order, DateTimeOffset asOf)
    {
        var vehicle = order.Vehicle;
        var proto = new PickupOrder
        {
            OrderId = order.OrderId,
            Kind = ToProto(order.Kind),
            CaseId = order.CaseId,
            ListingId = order.ListingId,
            Vehicle = new CommonVehicle { Vin = vehicle.Vin, ModelYear = vehicle.ModelYear, Make = vehicle.Make, Model = vehicle.Model, Trim = vehicle.Trim },
            GroundingDealerId = order.GroundingDealerId,
            BuyerDealerId = order.BuyerDealerId,
            ProofOfSaleId = order.ProofOfSaleId,
            CarrierId = order.CarrierId,
            BillOfLadingId = order.Bill?.Id ?? "",
            BillOfLadingExpiresAt = order.Bill is { } bill ? ToProto(bill.ExpiresAt) : null,
            Destination = order.Destination,
            State = ToProto(order.State),
            CreatedAt = ToProto(order.CreatedAt),
            PickupDueBy = ToProto(order.DueBy),
            ReleasedAt = order.ReleasedAt is { } released ? ToProto(released) : null,
            DeliveredAt = order.DeliveredAt is { } delivered ? ToProto(delivered) : null,
            Overdue = order.IsOverdueAt(asOf),
            RefusedReleaseCount = order.RefusedReleaseCount,
        };
        proto.RefusedReleases.Add(order.RefusedReleases.Select(refusal =>
            new ContractRefusedRelease { DealerId = refusal.DealerId, At = ToProto(refusal.At), Reason = refusal.Reason }));
        return proto;
    }

    /// <summary>The hand-off to Quote of a step of the case; its request id names the step, so Quote records it once.</summary>
    public static RecordCaseEventRequest ToQuote(CaseEventReport report) => new()
    {
        RequestId = report.RequestId,
        CaseId = report.CaseId,
        Step = report.Step switch
        {
            OrderChange.Ordered => CaseStep.PickupOrdered,
            OrderChange.CarrierAssigned => CaseStep.CarrierAssigned,
            OrderChange.ReleaseRefused => CaseStep.ReleaseRefused,
            OrderChange.Released => CaseStep.Released,
            OrderChange.Delivered => CaseStep.Delivered,
            _ => throw new ArgumentOutOfRangeException(nameof(report), report.Step, "a change Quote has no case step for"),
        },
        At = ToProto(report.At),
        Reference = report.OrderId,
        Detail = report.Detail,
    };

    public static Timestamp ToProto(DateTimeOffset instant) => Timestamp.FromDateTimeOffset(instant);
}
