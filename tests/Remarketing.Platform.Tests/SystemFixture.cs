namespace Remarketing.Platform.Tests;

/// <summary>
/// The real services and gateway as processes, with the gateway's idle cut-offs shortened from
/// YARP's 100 s so a test can show streams outliving them, and a small per-caller rate limit.
/// </summary>
public sealed class SystemFixture : SystemOnRedisFixture
{
    // Long enough for a unary call on a 2-core machine running three test systems at once (1 s
    // was not: a NotifyReturn met the gateway's 504), short enough for a stream to outlive it.
    public static readonly TimeSpan UnaryActivityTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan StreamActivityTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);
    public const int RateLimitBurst = 5;
    public const int ReadBurst = 400;
    public const int StreamsPerCaller = 260;

    /// <summary>An HTTP/2 client for raw gRPC calls (<see cref="RawGrpcCall"/>).</summary>
    public HttpMessageInvoker Http { get; } = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    /// <summary>An HTTP/1.1 client for raw gRPC-Web calls.</summary>
    public HttpMessageInvoker Http11 { get; } = new(new SocketsHttpHandler());

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Gateway:UnaryActivityTimeout"] = UnaryActivityTimeout.ToString(),
        ["Gateway:StreamActivityTimeout"] = StreamActivityTimeout.ToString(),
        ["Streams:HeartbeatInterval"] = HeartbeatInterval.ToString(),
        // A burst of 5 state-changing calls and 400 reads per caller, then one more of each per hour.
        ["RateLimits:Writes:TokenLimit"] = RateLimitBurst.ToString(),
        ["RateLimits:Writes:TokensPerPeriod"] = "1",
        ["RateLimits:Writes:ReplenishmentPeriod"] = "01:00:00",
        ["RateLimits:Reads:TokenLimit"] = ReadBurst.ToString(),
        ["RateLimits:Reads:TokensPerPeriod"] = "1",
        ["RateLimits:Reads:ReplenishmentPeriod"] = "01:00:00",
        ["RateLimits:StreamsPerCaller"] = StreamsPerCaller.ToString(),
    };

    protected override bool GatewayHttpOnAllInterfaces => true;

    public override async Task DisposeAsync()
    {
        Http.Dispose();
        Http11.Dispose();
        await base.DisposeAsync();
    }
}
