using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Configuration;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>Where another service answers, and how this process connects to it: the one place both are decided.</summary>
public static class ServiceAddresses
{
    /// <summary>The addresses configured in <c>Services:{name}</c>: one, or several instances separated by commas.</summary>
    public static IReadOnlyList<string> Instances(string configured) =>
        configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The instances of the service in <c>Services:{name}</c>.</summary>
    public static IReadOnlyList<Uri> Of(IConfiguration configuration, string name)
    {
        var configured = configuration[$"Services:{name}"];
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException($"Services:{name} is not configured: the address of the {name} service, e.g. http://127.0.0.1:5103");
        return [.. Instances(configured).Select(address => new Uri(address))];
    }

    /// <summary>
    /// The address a gRPC client of the service named <paramref name="name"/> dials: resolved by
    /// <see cref="Resolver"/> to every instance configured, so calls go round robin over those that answer.
    /// </summary>
    public static Uri Client(string name) => new($"static:///{name}");

    /// <summary>Resolves <see cref="Client"/> addresses from configuration, read when a client first connects.</summary>
    public static StaticResolverFactory Resolver(IConfiguration configuration) =>
        new(address => Of(configuration, address.AbsolutePath.Trim('/')).Select(instance => new BalancerAddress(instance.Host, instance.Port)));

    /// <summary>The HTTP handler of calls to another service: HTTP/2 without TLS on loopback or inside the cluster network.</summary>
    public static SocketsHttpHandler NewHandler() => new()
    {
        // About 100 concurrent streams fit one HTTP/2 connection; more calls would queue.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
    };
}
