using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Components;
using Remarketing.Contracts;

namespace Remarketing.Web;

/// <summary>
/// The contracts' clients over one gRPC-Web channel to the gateway (the page's own origin), each
/// call carrying the signed-in caller's token: the page has no other way into the system.
/// </summary>
public sealed class GatewayClients : ContractClients, IDisposable
{
    private readonly GrpcChannel _channel;

    public GatewayClients(NavigationManager navigation, Session session)
        : this(GrpcChannel.ForAddress(navigation.BaseUri, new GrpcChannelOptions { HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()) }), session)
    {
    }

    private GatewayClients(GrpcChannel channel, Session session)
        : base(channel.Intercept(metadata =>
        {
            if (session.Token is { } token)
                metadata.Add("authorization", $"Bearer {token}");
            return metadata;
        }))
    {
        _channel = channel;
    }

    public void Dispose() => _channel.Dispose();
}
