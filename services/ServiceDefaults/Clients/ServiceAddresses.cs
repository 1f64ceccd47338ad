using Microsoft.Extensions.Configuration;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>Where another service answers, and how this process connects to it: the one place both are decided.</summary>
public static class ServiceAddresses
{
    /// <summary>The address in <c>Services:{name}</c> (the first, where it lists several instances).</summary>
    public static Uri Of(IConfiguration configuration, string name)
    {
        var addresses = configuration[$"Services:{name}"];
        if (string.IsNullOrWhiteSpace(addresses))
            throw new InvalidOperationException($"Services:{name} is not configured: the address of the {name} service, e.g. http://127.0.0.1:5103");
        return new Uri(addresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0]);
    }

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
