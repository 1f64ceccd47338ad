using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// WatchListing as the gateway serves it (<see cref="ListingRelays"/>): grpc-dotnet reads the
/// request, writes the stream and ends it with its status. Only this one operation is mapped
/// (<see cref="WatchListingOnly"/>); every other one of the Auction service is forwarded.
/// </summary>
public sealed class ListingWatchService(ListingRelays relays)
{
    public Task WatchListing(WatchListingRequest request, IServerStreamWriter<ListingEvent> responseStream, ServerCallContext context) =>
        relays.WatchListingAsync(request, context.GetCaller(), responseStream, context.GetHttpContext().Response.BodyWriter, context.CancellationToken);
}

/// <summary>Maps <see cref="ListingWatchService"/> for gRPC over HTTP/2 only (<see cref="GatewayServedMethods"/>).</summary>
public sealed class WatchListingOnly : IServiceMethodProvider<ListingWatchService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ListingWatchService> context) =>
        context.AddServerStreamingMethod(GatewayServedMethods.AuctionMethod<WatchListingRequest, ListingEvent>(ListingRelays.WatchListingPath),
            GatewayServedMethods.GrpcOnly,
            (service, request, stream, call) => service.WatchListing(request, stream, call));
}
