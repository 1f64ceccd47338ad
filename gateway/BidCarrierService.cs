using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>The Auction service's client for the gateway's bid streams: a channel and connections of their own.</summary>
public sealed class BidCarrierClient(CallInvoker callInvoker) : AuctionService.AuctionServiceClient(callInvoker);

/// <summary>PlaceBid served by the gateway (<see cref="BidCarriers"/>); mapped by <see cref="PlaceBidOnly"/>.</summary>
public sealed class BidCarrierService(BidCarriers carriers)
{
    public Task<PlaceBidResponse> PlaceBid(PlaceBidRequest request, ServerCallContext context) =>
        carriers.PlaceAsync(request, context.GetCaller(), context.CancellationToken);
}

/// <summary>Maps <see cref="BidCarrierService"/> for gRPC over HTTP/2 only (<see cref="GatewayServedMethods"/>).</summary>
public sealed class PlaceBidOnly : Grpc.AspNetCore.Server.Model.IServiceMethodProvider<BidCarrierService>
{
    public void OnServiceMethodDiscovery(Grpc.AspNetCore.Server.Model.ServiceMethodProviderContext<BidCarrierService> context) =>
        context.AddUnaryMethod(GatewayServedMethods.AuctionMethod<PlaceBidRequest, PlaceBidResponse>(BidCarriers.PlaceBidPath),
            GatewayServedMethods.GrpcOnly,
            (service, request, call) => service.PlaceBid(request, call));
}
