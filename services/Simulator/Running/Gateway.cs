using System.Collections.Concurrent;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Remarketing.Contracts;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The simulator's only way in: one channel over every gateway's gRPC port, and callers' tokens
/// from a gateway's local-profile <c>POST /dev/token</c>, one per subject and role, renewed well
/// before they expire. As a client of several gateways should, it goes round robin over those
/// that answer and calls again, with the same request (and so the same request id), a call
/// answered Unavailable: a gateway or a service instance that died under it.
/// </summary>
public sealed class Gateway : ContractClients, IDisposable
{
    private static readonly TimeSpan RenewAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// At most 8 attempts, each after a random pause of up to 0.2, 0.4, 0.8, 1.6 and then 2 s (about
    /// 4 s in all on average, 9 s at most): enough for the balancer to learn that a gateway went
    /// away and for another instance to take over, not for a whole system to come back.
    /// </summary>
    private const int MostAttempts = 8;

    private static readonly MethodConfig RetriedWhenUnavailable = new()
    {
        Names = { MethodName.Default },
        RetryPolicy = new RetryPolicy
        {
            MaxAttempts = MostAttempts,
            InitialBackoff = TimeSpan.FromMilliseconds(200),
            MaxBackoff = TimeSpan.FromSeconds(2),
            BackoffMultiplier = 2,
            RetryableStatusCodes = { StatusCode.Unavailable },
        },
    };

    private readonly GrpcChannel _channel;
    private readonly IReadOnlyList<HttpClient> _tokens;
    private readonly TimeProvider _realTime;
    private readonly ConcurrentDictionary<(string Subject, string Role), (Metadata Headers, DateTimeOffset Fetched)> _issued = new();
    private int _nextTokens;

    /// <param name="observer">Sees every call (e.g. a drill counting what the system acknowledged).</param>
    public Gateway(Uri grpcAddress, Uri httpAddress, TimeProvider? realTime = null, Interceptor? observer = null)
        : this([grpcAddress], [httpAddress], realTime, observer)
    {
    }

    /// <param name="grpcAddresses">Every gateway's gRPC address.</param>
    /// <param name="httpAddresses">Every gateway's HTTP/1.1 address, where tokens are asked for.</param>
    /// <param name="observer">Sees every call (e.g. a drill counting what the system acknowledged).</param>
    public Gateway(IReadOnlyList<Uri> grpcAddresses, IReadOnlyList<Uri> httpAddresses, TimeProvider? realTime = null, Interceptor? observer = null)
        : this(Channel(grpcAddresses), httpAddresses, realTime, observer)
    {
    }

    private Gateway(GrpcChannel channel, IReadOnlyList<Uri> httpAddresses, TimeProvider? realTime, Interceptor? observer)
        : base(observer is null ? channel.CreateCallInvoker() : channel.Intercept(observer))
    {
        if (httpAddresses.Count == 0)
            throw new ArgumentException("at least one gateway HTTP address is needed", nameof(httpAddresses));
        _channel = channel;
        _tokens = [.. httpAddresses.Select(address => new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) })];
        _realTime = realTime ?? TimeProvider.System;
    }

    private static GrpcChannel Channel(IReadOnlyList<Uri> addresses)
    {
        if (addresses.Count == 0)
            throw new ArgumentException("at least one gateway gRPC address is needed", nameof(addresses));
        var options = new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            ServiceConfig = new ServiceConfig { MethodConfigs = { RetriedWhenUnavailable } },
            // grpc-dotnet caps a policy's attempts at 5 unless told otherwise.
            MaxRetryAttempts = MostAttempts,
        };
        if (addresses.Count == 1)
            return GrpcChannel.ForAddress(addresses[0], options);

        var resolver = new StaticResolverFactory(_ => addresses.Select(address => new BalancerAddress(address.Host, address.Port)));
        options.ServiceProvider = new ServiceCollection().AddSingleton<ResolverFactory>(resolver).BuildServiceProvider();
        options.Credentials = ChannelCredentials.Insecure;
        options.ServiceConfig.LoadBalancingConfigs.Add(new RoundRobinConfig());
        return GrpcChannel.ForAddress("static:///gateways", options);
    }

    /// <summary>Call headers carrying a token for <paramref name="subject"/> in <paramref name="role"/>.</summary>
    public async Task<Metadata> AsAsync(string subject, string role, CancellationToken cancellationToken = default)
    {
        var now = _realTime.GetUtcNow();
        if (_issued.TryGetValue((subject, role), out var issued) && now - issued.Fetched < RenewAfter)
            return issued.Headers;
        var headers = new Metadata { { "authorization", $"Bearer {await TokenAsync(subject, role, cancellationToken)}" } };
        _issued[(subject, role)] = (headers, now);
        return headers;
    }

    public void Dispose()
    {
        _channel.Dispose();
        foreach (var tokens in _tokens)
            tokens.Dispose();
    }

    /// <summary>A token from the gateways in turn: one that cannot be reached is passed over for the next.</summary>
    private async Task<string> TokenAsync(string subject, string role, CancellationToken cancellationToken)
    {
        var first = Interlocked.Increment(ref _nextTokens);
        for (var attempt = 0; ; attempt++)
        {
            var tokens = _tokens[(int)((uint)(first + attempt) % _tokens.Count)];
            try
            {
                using var response = await tokens.PostAsJsonAsync("/dev/token", new TokenRequest(subject, role), cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    throw new GatewayUnavailableException(
                        $"the gateway's /dev/token at {tokens.BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase} {body}".TrimEnd() +
                        " (it serves tokens only in the local profile, as ./run.sh starts it)");
                }
                return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))?.Token
                    ?? throw new GatewayUnavailableException($"the gateway's /dev/token at {tokens.BaseAddress} answered without a token");
            }
            catch (HttpRequestException) when (attempt + 1 < _tokens.Count)
            {
                // That gateway is down: the next one.
            }
        }
    }

    private sealed record TokenRequest(string Subject, string Role);

    private sealed record TokenResponse(string Token);
}

/// <summary>The gateway cannot be reached or gives no tokens: a message for the person running the simulator.</summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
