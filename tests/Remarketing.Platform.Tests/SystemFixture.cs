using Remarketing.Testing;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The real services and gateway as processes, with the gateway's idle cut-offs shortened from
/// YARP's 100 s so a test can show streams outliving them, and a small per-caller rate limit.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    // Long enough for a unary call on a 2-core machine running three test systems at once (1 s
    // was not: a NotifyReturn met the gateway's 504), short enough for a stream to outlive it.
    public static readonly TimeSpan UnaryActivityTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan StreamActivityTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);
    public const int RateLimitBurst = 5;
    public const int ReadBurst = 400;
    public const int StreamsPerCaller = 260;

    private RedisServer? _redis;

    public RemarketingSystem System { get; private set; } = null!;

    /// <summary>The system's Redis, to see what a call changed.</summary>
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>An HTTP/2 client for raw gRPC calls (<see cref="RawGrpcCall"/>).</summary>
    public HttpMessageInvoker Http { get; } = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    /// <summary>An HTTP/1.1 client for raw gRPC-Web calls.</summary>
    public HttpMessageInvoker Http11 { get; } = new(new SocketsHttpHandler());

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        System = await RemarketingSystem.StartAsync(_redis, new Dictionary<string, string>
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
        }, gatewayHttpOnAllInterfaces: true);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Http11.Dispose();
        if (Redis is not null)
            await Redis.DisposeAsync();
        if (System is not null)
            await System.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
    }
}
