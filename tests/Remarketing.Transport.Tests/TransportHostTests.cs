using Grpc.Core;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.Transport.Tests;

/// <summary>The service as the gateway reaches it: roles and limits checked before any handler, refusals as statuses, a stream over real gRPC.</summary>
public sealed class TransportHostTests(TransportHost host) : IClassFixture<TransportHost>
{
    private TransportService.TransportServiceClient Client => new(host.Channel);

    private Metadata As(string subject, string role) => host.Tokens.Forwarded(subject, role);

    [Theory]
    [InlineData("CreatePickup", RoleNames.Buyer)]
    [InlineData("AssignCarrier", RoleNames.GroundingDealer)]
    [InlineData("ReleaseVehicle", RoleNames.Transporter)]
    [InlineData("ReleaseVehicle", RoleNames.Remarketing)]
    [InlineData("ConfirmDelivery", RoleNames.GroundingDealer)]
    [InlineData("GetPickupOrder", RoleNames.Inspector)]
    public async Task ARoleTheOperationDoesNotName_IsPermissionDenied(string operation, string role)
    {
        var caller = As("X-1", role);
        Task call = operation switch
        {
            "CreatePickup" => Client.CreatePickupAsync(new CreatePickupRequest { RequestId = "r-1" }, caller).ResponseAsync,
            "AssignCarrier" => Client.AssignCarrierAsync(new AssignCarrierRequest { RequestId = "r-1", OrderId = "P-1" }, caller).ResponseAsync,
            "ReleaseVehicle" => Client.ReleaseVehicleAsync(new ReleaseVehicleRequest { RequestId = "r-1", OrderId = "P-1", DocumentId = "POS-1" }, caller).ResponseAsync,
            "ConfirmDelivery" => Client.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = "r-1", OrderId = "P-1" }, caller).ResponseAsync,
            _ => Client.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = "P-1" }, caller).ResponseAsync,
        };

        var failure = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.StartsWith($"role '{role}' may not call remarketing.transport.v1.TransportService/{operation}", failure.Status.Detail);
    }

    [Fact]
    public async Task WatchOrder_InARoleItDoesNotName_IsPermissionDenied()
    {
        using var call = Client.WatchOrder(new WatchOrderRequest { OrderId = "P-1" }, host.Tokens.Service("auction"));

        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
    }

    [Fact]
    public async Task AnOrderIdOver128Characters_IsInvalidArgument_NamingTheField()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            Client.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = new string('P', 129) }, As("RC-1", RoleNames.Remarketing)).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "order_id is 129 characters long; at most 128 are accepted"), (failure.StatusCode, failure.Status.Detail));
    }

    [Fact]
    public async Task DomainRefusals_ReachTheCallerAsTheirStatus()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            Client.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = "P-nothing" }, As("D-1", RoleNames.GroundingDealer)).ResponseAsync);
        var noKind = await Assert.ThrowsAsync<RpcException>(() =>
            Client.CreatePickupAsync(new CreatePickupRequest { RequestId = "r-1", CaseId = "A-1-R1" }, host.Tokens.Service("auction")).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "no pickup order P-nothing"), (missing.StatusCode, missing.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, noKind.StatusCode);
        Assert.StartsWith("kind is required", noKind.Status.Detail);
    }

    [Fact]
    public async Task APickup_FromOrderToDelivery_WatchedByItsDealer()
    {
        var dealer = As("D-HOST", RoleNames.GroundingDealer);
        var carrier = As("C-HOST", RoleNames.Transporter);
        var order = await Client.CreatePickupAsync(new CreatePickupRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            Kind = PickupKind.Transporter,
            CaseId = "A-HOST-R1",
            Vehicle = new Vehicle { Vin = TestVins.Next() },
            GroundingDealerId = "D-HOST",
        }, host.Tokens.Service("inspection"));
        using var watch = Client.WatchOrder(new WatchOrderRequest { OrderId = order.OrderId, AfterSequence = 1 }, dealer);
        Assert.True(await watch.ResponseStream.MoveNext());
        var first = watch.ResponseStream.Current;

        var assigned = await Client.AssignCarrierAsync(new AssignCarrierRequest { RequestId = Guid.NewGuid().ToString("N"), OrderId = order.OrderId }, carrier);
        await Client.ReleaseVehicleAsync(new ReleaseVehicleRequest { RequestId = Guid.NewGuid().ToString("N"), OrderId = order.OrderId, DocumentId = assigned.BillOfLadingId }, dealer);
        await Client.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = Guid.NewGuid().ToString("N"), OrderId = order.OrderId }, carrier);
        var seen = new List<PickupOrderEvent>();
        while (seen.Count(message => message.KindCase == PickupOrderEvent.KindOneofCase.Order) < 3 && await watch.ResponseStream.MoveNext())
            seen.Add(watch.ResponseStream.Current);

        Assert.Equal(PickupOrderState.AwaitingCarrier, first.Order.State);
        var orders = seen.Where(message => message.KindCase == PickupOrderEvent.KindOneofCase.Order).ToList();
        Assert.Equal([2L, 3L, 4L], orders.Select(message => message.Sequence));
        Assert.Equal([PickupOrderState.ReadyForPickup, PickupOrderState.Released, PickupOrderState.Delivered], orders.Select(message => message.Order.State));
        Assert.All(orders, message => Assert.Equal("", message.Order.BillOfLadingId));
    }
}
