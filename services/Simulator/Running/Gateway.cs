using System.Collections.Concurrent;
using System.Net.Http.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Remarketing.Contracts;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The simulator's only way in: one channel to the gateway's gRPC port, and callers' tokens from
/// the gateway's local-profile <c>POST /dev/token</c>, one per subject and role, renewed well
/// before they expire.
/// </summary>
public sealed class Gateway : ContractClients, IDisposable
{
    private static readonly TimeSpan RenewAfter = TimeSpan.FromHours(1);

    private readonly GrpcChannel _channel;
    private readonly HttpClient _tokens;
    private readonly TimeProvider _realTime;
    private readonly ConcurrentDictionary<(string Subject, string Role), (Metadata Headers, DateTimeOffset Fetched)> _issued = new();

    /// <param name="observer">Sees every call (e.g. a drill counting what the system acknowledged).</param>
    public Gateway(Uri grpcAddress, Uri httpAddress, TimeProvider? realTime = null, Interceptor? observer = null)
        : this(GrpcChannel.ForAddress(grpcAddress, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } }),
            httpAddress, realTime, observer)
    {
    }

    private Gateway(GrpcChannel channel, Uri httpAddress, TimeProvider? realTime, Interceptor? observer)
        : base(observer is null ? channel.CreateCallInvoker() : channel.Intercept(observer))
    {
        _channel = channel;
        _tokens = new HttpClient { BaseAddress = httpAddress, Timeout = TimeSpan.FromSeconds(10) };
        _realTime = realTime ?? TimeProvider.System;
    }

    /// <summary>Call headers carrying a token for <paramref name="subject"/> in <paramref name="role"/>.</summary>
    public async Task<Metadata> AsAsync(string subject, string role, CancellationToken cancellationToken = default)
    {
        var now = _realTime.GetUtcNow();
        if (_issued.TryGetValue((subject, role), out var issued) && now - issued.Fetched < RenewAfter)
            return issued.Headers;
        using var response = await _tokens.PostAsJsonAsync("/dev/token", new TokenRequest(subject, role), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new GatewayUnavailableException(
                $"the gateway's /dev/token at {_tokens.BaseAddress} answered {(int)response.StatusCode} {response.ReasonPhrase} {body}".TrimEnd() +
                " (it serves tokens only in the local profile, as ./run.sh starts it)");
        }
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))?.Token
            ?? throw new GatewayUnavailableException("the gateway's /dev/token answered without a token");
        var headers = new Metadata { { "authorization", $"Bearer {token}" } };
        _issued[(subject, role)] = (headers, now);
        return headers;
    }

    public void Dispose()
    {
        _channel.Dispose();
        _tokens.Dispose();
    }

    private sealed record TokenRequest(string Subject, string Role);

    private sealed record TokenResponse(string Token);
}

/// <summary>The gateway cannot be reached or gives no tokens: a message for the person running the simulator.</summary>
public sealed class GatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
