using System.ComponentModel.DataAnnotations;

namespace Remarketing.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The backend (a key of Services) that answers the remarketing.common.v1 operations (the shared clock).</summary>
    [Required]
    public string CommonBackend { get; set; } = "auction";

    /// <summary>
    /// How long a unary call's backend may stay silent. YARP's default is 100 s; HTTP/2 pings
    /// do not count as activity.
    /// </summary>
    public TimeSpan UnaryActivityTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long a stream may stay silent before the gateway cuts it. Streams send heartbeats
    /// (Streams:HeartbeatInterval) well within this.
    /// </summary>
    public TimeSpan StreamActivityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Serve WatchListing (gRPC over HTTP/2) here, from one relay stream per listing, instead of
    /// forwarding each watcher's stream to the Auction service (docs/benchmarks.md). Off forwards
    /// every watcher, as gRPC-Web callers always are.
    /// </summary>
    public bool RelayWatchListing { get; set; } = true;

    /// <summary>
    /// Serve PlaceBid (gRPC over HTTP/2) here, carrying each caller's bids to the Auction service on
    /// a BidStream kept open for that caller, instead of forwarding each call (docs/benchmarks.md).
    /// Off forwards every call, as gRPC-Web callers always are.
    /// </summary>
    public bool CarryUnaryBids { get; set; } = true;

    /// <summary>
    /// Calls a client may abandon (reset) on one HTTP/2 connection within <see cref="ResetWindow"/>;
    /// past that the connection is told to go away (rapid reset). A client closing its watch streams
    /// resets each one, so this stays well above what leaving a page does.
    /// </summary>
    [Range(10, 1_000_000)]
    public int MaxResetsPerConnection { get; set; } = 500;

    public TimeSpan ResetWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Each backend address's host name stands for every address it resolves to, each its own
    /// destination, looked up again every 30 s (YARP's DNS destination resolver): a Kubernetes
    /// headless Service names every pod of a service (deploy/k8s). Off, an address is one destination.
    /// </summary>
    public bool ResolveBackendsByDns { get; set; }

    /// <summary>Serve POST /dev/token (the local profile only; never in production).</summary>
    public bool DevTokens { get; set; }

    /// <summary>Largest request message of a unary call; larger ones are refused here (ResourceExhausted) and never reach a service.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Most bytes a call's metadata (its headers, counted as HTTP/2 counts them) may take; more is
    /// ResourceExhausted here. Kestrel reads up to Kestrel:Limits:MaxRequestHeadersTotalSize, above
    /// this, so a call just over it gets this clear refusal, not a broken connection.
    /// </summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>Browser origins allowed to call gRPC-Web across origins. Empty = same origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
