using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Components;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Web;

/// <summary>
/// The contracts' clients over one gRPC-Web channel to the gateway (the page's own origin), each
/// call carrying the signed-in caller's token: the page has no other way into the system.
/// </summary>
public sealed class GatewayClients : IDisposable
{
    private readonly GrpcChannel _channel;

    public GatewayClients(NavigationManager navigation, Session session)
    {
        _channel = GrpcChannel.ForAddress(navigation.BaseUri, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
        });
        var invoker = _channel.Intercept(metadata =>
        {
            if (session.Token is { } token)
                metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        });
        Auction = new(invoker);
        Quote = new(invoker);
        Inspection = new(invoker);
        Transport = new(invoker);
        Clock = new(invoker);
        HandOffs = new(invoker);
    }

    public AuctionService.AuctionServiceClient Auction { get; }

    public QuoteService.QuoteServiceClient Quote { get; }

    public InspectionService.InspectionServiceClient Inspection { get; }

    public TransportService.TransportServiceClient Transport { get; }

    public ClockService.ClockServiceClient Clock { get; }

    /// <summary>Each service's failed hand-offs: a call names whose (<see cref="Contracts.ServiceMetadata"/>).</summary>
    public HandOffService.HandOffServiceClient HandOffs { get; }

    public void Dispose() => _channel.Dispose();
}
