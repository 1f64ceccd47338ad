using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Clients;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Remarketing.Gateway;

/// <summary>
/// The gateway's routes, derived from the contracts: one route per operation, to the backend
/// of the operation's area, so a route can never drift from the contract. Streaming operations
/// go to a cluster whose activity timeout lets long-lived streams live.
/// </summary>
public static class ContractRoutes
{
    private const string StreamsSuffix = "-streams";

    public static IReadOnlyList<RouteConfig> Routes(GatewayOptions options) =>
        ContractCatalog.Operations.SelectMany<ContractOperation, RouteConfig>(operation => ContractCatalog.IsEachServicesOwn(operation)
            // Every service serves it for itself: the call's metadata says whose, one route per service. A call
            // naming none matches no route; the access check takes its caller, then refuses it.
            ? ContractCatalog.ServiceAreas.Select(service => Route(operation, service, $"@{service}",
                [new RouteHeader { Name = ContractCatalog.ServiceHeader, Values = [service], Mode = HeaderMatchMode.ExactHeader }]))
            : [Route(operation, BackendOf(operation, options), "", null)]).ToArray();

    private static RouteConfig Route(ContractOperation operation, string backend, string idSuffix, IReadOnlyList<RouteHeader>? headers) => new()
    {
        RouteId = operation.Path.TrimStart('/') + idSuffix,
        ClusterId = backend + (operation.IsStreaming ? StreamsSuffix : ""),
        Match = new RouteMatch { Path = operation.Path, Headers = headers },
    };

    public static IReadOnlyList<ClusterConfig> Clusters(IReadOnlyDictionary<string, string> backends, GatewayOptions options) =>
        backends.SelectMany(backend => new[]
        {
            Cluster(backend.Key, backend.Value, options.UnaryActivityTimeout),
            Cluster(backend.Key + StreamsSuffix, backend.Value, options.StreamActivityTimeout),
        }).ToArray();

    /// <summary>The contract operation a route forwards: the access check reads it from the matched endpoint.</summary>
    public static ContractOperation OperationOf(RouteConfig route) =>
        ContractCatalog.FindByPath(route.Match.Path ?? "")
        ?? throw new InvalidOperationException($"route {route.RouteId} forwards no contract operation: every route must be one");

    /// <summary>The backends the routes need: each contract area's, plus the one answering common operations.</summary>
    public static IReadOnlySet<string> RequiredBackends(GatewayOptions options) =>
        Routes(options).Select(route => route.ClusterId!.Replace(StreamsSuffix, "", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    private static string BackendOf(ContractOperation operation, GatewayOptions options) =>
        ContractCatalog.BackendOf(operation.Area, options.CommonBackend);

    private static ClusterConfig Cluster(string id, string address, TimeSpan activityTimeout) => new()
    {
        ClusterId = id,
        // Several instances share the calls; one whose connections fail is left out for a while
        // (passive health), so clients retrying with the same request id reach a live one.
        // With every instance unhealthy, calls still go to all of them (YARP's HealthyOrPanic).
        Destinations = ServiceAddresses.Instances(address).Select((destination, i) => (destination, i))
            .ToDictionary(entry => $"instance-{entry.i + 1}", entry => new DestinationConfig { Address = entry.destination }),
        LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
        HealthCheck = new HealthCheckConfig
        {
            Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate, ReactivationPeriod = TimeSpan.FromSeconds(5) },
            // Each instance's /healthz every 2 s: one that answers Unhealthy (it cannot reach Redis) or
            // not at all twice running gets no new calls until it answers again; Degraded still serves.
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(2),
                Timeout = TimeSpan.FromSeconds(1),
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/healthz",
            },
        },
        HttpRequest = new ForwarderRequestConfig
        {
            // Backends speak HTTP/2 without TLS: only prior-knowledge HTTP/2 works.
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            ActivityTimeout = activityTimeout,
        },
        HttpClient = new HttpClientConfig { EnableMultipleHttp2Connections = true },
    };
}
