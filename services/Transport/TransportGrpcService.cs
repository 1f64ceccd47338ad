using Grpc.Core;
using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.Security;
using static Remarketing.Transport.ProtoViews;

namespace Remarketing.Transport;

/// <summary>The Transport service's gRPC face: the caller from the token, the request into plain values, <see cref="PickupDesk"/>'s answer back into a response.</summary>
public sealed class TransportGrpcService(PickupDesk desk, OrderWatchHub hub, ReturnCaseReferences cases, ListingReferences listings)
    : TransportService.TransportServiceBase
{
    public override async Task<PickupOrder> CreatePickup(CreatePickupRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        await cases.RequireAsync(caller, request.CaseId, request.Vehicle?.Vin ?? "", "a pickup", context.CancellationToken);
        await listings.RequireAsync(caller, request, context.CancellationToken);
        return ToProto(await desk.CreatePickupAsync(caller, ToDomain(request)));
    }

    public override async Task<PickupOrder> GetPickupOrder(GetPickupOrderRequest request, ServerCallContext context) =>
        ToProto(await desk.GetOrderAsync(context.GetCaller(), request.OrderId));

    public override async Task<ListPickupOrdersResponse> ListPickupOrders(ListPickupOrdersRequest request, ServerCallContext context) =>
        ToProto(await desk.ListOrdersAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<PickupOrder> AssignCarrier(AssignCarrierRequest request, ServerCallContext context) =>
        ToProto(await desk.AssignCarrierAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<PickupOrder> ReleaseVehicle(ReleaseVehicleRequest request, ServerCallContext context) =>
        ToProto(await desk.ReleaseVehicleAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<PickupOrder> ConfirmDelivery(ConfirmDeliveryRequest request, ServerCallContext context) =>
        ToProto(await desk.ConfirmDeliveryAsync(context.GetCaller(), ToDomain(request)));

    public override Task WatchOrder(WatchOrderRequest request, IServerStreamWriter<PickupOrderEvent> responseStream, ServerCallContext context) =>
        hub.WatchAsync(context.GetCaller(), request.OrderId, request.AfterSequence, responseStream, context.CancellationToken);
}
