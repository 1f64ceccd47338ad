using Grpc.Core;
using Microsoft.AspNetCore.Http.Metadata;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Gateway;

/// <summary>
/// What the gateway needs to serve one operation of the Auction service itself, bound as the
/// generated AuctionService binds it (its method and marshallers), for gRPC over HTTP/2 only: a
/// gRPC-Web call matches the forwarded route.
/// </summary>
public static class GatewayServedMethods
{
    /// <summary>The endpoint metadata of a method the gateway serves: POST, gRPC's own content types (not gRPC-Web's).</summary>
    public static IList<object> GrpcOnly { get; } = [new HttpMethodMetadata(["POST"]), new GrpcContentTypes()];

    /// <summary>The generated AuctionService's method for the contract operation at <paramref name="path"/>.</summary>
    public static Method<TRequest, TResponse> AuctionMethod<TRequest, TResponse>(string path)
        where TRequest : class
        where TResponse : class
    {
        var operation = ContractCatalog.FindByPath(path)
            ?? throw new InvalidOperationException($"{path} is not an operation of the contracts");
        var binder = new GeneratedMethods();
        AuctionService.BindService(binder, null);
        return binder.Named<TRequest, TResponse>(operation.Method);
    }

    /// <summary>
    /// Puts a method the gateway serves ahead of the forwarded route for the same path (a lower
    /// order wins); grpc-dotnet's catch-all for the service's other methods keeps its order, behind
    /// the forwarded routes.
    /// </summary>
    public static void AheadOfTheForwardedRoute(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<Grpc.AspNetCore.Server.GrpcMethodMetadata>().Any())
            ((RouteEndpointBuilder)endpoint).Order = -1;
    }

    /// <summary>Matches gRPC's own content types only (not gRPC-Web's).</summary>
    private sealed class GrpcContentTypes : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes { get; } = ["application/grpc", "application/grpc+proto"];

        public Type? RequestType => null;

        public bool IsOptional => false;
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
