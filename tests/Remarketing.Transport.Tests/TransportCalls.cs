using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Remarketing.Transport.Tests;

/// <summary>
/// The Transport service class called in process as its gRPC face is called: requests and
/// responses as the contract has them, the caller as its token would name it. A refusal is the
/// domain's exception (no server turns it into a status here).
/// </summary>
public sealed class TransportCalls(TransportGrpcService service)
{
    public Task<PickupOrder> CreatePickupAsync(Caller caller, CreatePickupRequest request) => service.CreatePickup(request, As(caller));

    public Task<PickupOrder> GetAsync(Caller caller, string orderId) => service.GetPickupOrder(new GetPickupOrderRequest { OrderId = orderId }, As(caller));

    public Task<ListPickupOrdersResponse> ListAsync(Caller caller, ListPickupOrdersRequest? request = null) =>
        service.ListPickupOrders(request ?? new ListPickupOrdersRequest(), As(caller));

    public Task<PickupOrder> AssignCarrierAsync(Caller caller, AssignCarrierRequest request) => service.AssignCarrier(request, As(caller));

    public Task<PickupOrder> ReleaseAsync(Caller caller, ReleaseVehicleRequest request) => service.ReleaseVehicle(request, As(caller));

    public Task<PickupOrder> ConfirmDeliveryAsync(Caller caller, ConfirmDeliveryRequest request) => service.ConfirmDelivery(request, As(caller));

    /// <summary>Runs a WatchOrder stream into <paramref name="writer"/> until <paramref name="cancellationToken"/> ends it.</summary>
    public Task WatchAsync(Caller caller, WatchOrderRequest request, RecordingStreamWriter<PickupOrderEvent> writer, CancellationToken cancellationToken) =>
        service.WatchOrder(request, writer, As(caller, cancellationToken));

    private static TestServerCallContext As(Caller caller, CancellationToken cancellationToken = default) => new(
        "/remarketing.transport.v1.TransportService",
        new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.Subject, caller.Subject), new Claim(CallerClaims.Role, caller.Role)], "test")),
        },
        cancellationToken);
}
