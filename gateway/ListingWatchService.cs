using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Metadata;
using Remarketing.Contracts;
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

/// <summary>
/// Maps <see cref="ListingWatchService"/> as the generated AuctionService binds WatchListing (its
/// method and marshallers), for gRPC over HTTP/2 only: a gRPC-Web call matches the forwarded route.
/// </summary>
public sealed class WatchListingOnly : IServiceMethodProvider<ListingWatchService>
{
    /// <summary>Matches gRPC's own content types only (not gRPC-Web's).</summary>
    private sealed class GrpcContentTypes : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = ["application/grpc", "application/grpc+proto"];

        public Type? RequestType => null;

        public bool IsOptional => false;
    }

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ListingWatchService> context)
    {
        var binder = new GeneratedMethods();
        AuctionService.BindService(binder, null);
        var operation = ContractCatalog.FindByPath(ListingRelays.WatchListingPath)
            ?? throw new InvalidOperationException($"{ListingRelays.WatchListingPath} is not an operation of the contracts");
        context.AddServerStreamingMethod(binder.Named<WatchListingRequest, ListingEvent>(operation.Method),
            [new HttpMethodMetadata(["POST"]), new GrpcContentTypes()],
            (service, request, stream, call) => service.WatchListing(request, stream, call));
    }

    /// <summary>The methods a generated service binds, as its BindService hands them over.</summary>
    private sealed class GeneratedMethods : ServiceBinderBase
    {
        private readonly Dictionary<string, IMethod> _methods = new(StringComparer.Ordinal);

        public Method<TRequest, TResponse> Named<TRequest, TResponse>(string name)
            where TRequest : class
            where TResponse : class =>
            _methods.TryGetValue(name, out var method) && method is Method<TRequest, TResponse> typed
                ? typed
                : throw new InvalidOperationException($"the generated service binds no method {name}({typeof(TRequest).Name}) returns {typeof(TResponse).Name}");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            _methods[method.Name] = method;

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            _methods[method.Name] = method;

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            _methods[method.Name] = method;

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            _methods[method.Name] = method;
    }
}
