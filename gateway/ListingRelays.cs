using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Gateway;

/// <summary>
/// WatchListing, served by the gateway itself over gRPC (HTTP/2); gRPC-Web callers are forwarded
/// as before. Each call first reads its own WatchListing from the Auction service with the
/// caller's forwarded identity (the service checks the caller, sends its snapshot with its own
/// maximum and any backlog after after_sequence), and moves to the listing's one
/// <see cref="ListingRelay"/> as soon as that holds every event after the call's last one.
/// </summary>
public sealed partial class ListingRelays : IDisposable
{
    public const string WatchListingPath = "/remarketing.auction.v1.AuctionService/WatchListing";

    /// <summary>How long a call that has its snapshot waits for a new relay to start before reading on from its own call.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, ListingRelay> _relays = new(StringComparer.Ordinal);
    private readonly GrpcChannel[] _channels;
    private readonly ForwardedIdentity _identity;
    private readonly ServiceToken _serviceToken;
    private readonly StreamOptions _streams;
    private readonly TimeProvider _clock;
    private readonly HeartbeatTicker _ticker;
    private readonly ILogger<ListingRelays> _logger;
    private readonly int _maxRequestMessageBytes;
    private int _nextChannel;

    public ListingRelays(IConfiguration configuration, ForwardedIdentity identity, TokenIssuer issuer, IOptions<StreamOptions> streams, IOptions<GatewayOptions> options, TimeProvider clock, HeartbeatTicker ticker, ILogger<ListingRelays> logger)
    {
        _maxRequestMessageBytes = options.Value.MaxRequestMessageBytes;
        _logger = logger;
        _channels = [.. ContractRoutes.Addresses(configuration["Services:auction"] ?? "").Select(address => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
        }))];
        _identity = identity;
        _serviceToken = new ServiceToken(issuer);
        _streams = streams.Value;
        _clock = clock;
        _ticker = ticker;
    }

    public async Task WatchListingAsync(HttpContext context)
    {
        // The access check ran before: the caller is known and may call WatchListing.
        var caller = Caller.From(context.User) ?? throw new InvalidOperationException("WatchListing reached without a caller");
        if (await ReadRequestAsync(context) is not { } request)
            return;

        var watcher = new ListingRelayWatcher(caller, request.ListingId, request.AfterSequence, _streams, _ticker, _clock);
        var running = watcher.Pump.RunAsync(new ResponseStreamWriter<ListingEvent>(context.Response), context.RequestAborted, context.Response.BodyWriter);
        var relay = await FollowAsync(watcher, request, context.RequestAborted);
        try
        {
            await running;
            if (!context.RequestAborted.IsCancellationRequested)
                await EndWithAsync(context, Status.DefaultSuccess);
        }
        catch (RpcException exception)
        {
            await EndWithAsync(context, exception.Status);
        }
        finally
        {
            relay?.Leave(watcher);
        }
    }

    public void Dispose()
    {
        foreach (var relay in _relays.Values)
            relay.Dispose();
        foreach (var channel in _channels)
            channel.Dispose();
    }

    /// <summary>Reads the caller's own call until the watcher joins the listing's relay (which it returns), or the call ends.</summary>
    private async Task<ListingRelay?> FollowAsync(ListingRelayWatcher watcher, WatchListingRequest request, CancellationToken cancellationToken)
    {
        using var own = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var identity = new Metadata { { "authorization", $"Bearer {_identity.For(watcher.Caller)}" } };
        try
        {
            using var call = Client().WatchListing(request, identity, cancellationToken: own.Token);
            await foreach (var message in call.ResponseStream.ReadAllAsync(own.Token))
            {
                await watcher.Pump.PublishAsync(message, own.Token);
                // The snapshot carries the listing's last sequence; the events after after_sequence come after it.
                if (message.KindCase != ListingEvent.KindOneofCase.Snapshot)
                    watcher.Delivered = message.Sequence;
                var relay = RelayOf(request.ListingId);
                try
                {
                    await relay.Started.WaitAsync(StartWait, own.Token);
                }
                catch (TimeoutException)
                {
                    // Not started yet: read on from the caller's own call, and try again after its next message.
                }

                if (relay.TryJoin(watcher))
                {
                    await own.CancelAsync();
                    return relay;
                }
            }

            watcher.Pump.Complete();
        }
        catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            watcher.Pump.Fail(new RpcException(exception.Status));
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // The caller left, or its stream ended (it fell behind).
        }

        return null;
    }

    private ListingRelay RelayOf(string listingId)
    {
        while (true)
        {
            if (_relays.TryGetValue(listingId, out var relay) && !relay.HasEnded)
                return relay;
            if (relay is not null)
                _relays.TryRemove(new KeyValuePair<string, ListingRelay>(listingId, relay));
            var created = new ListingRelay(listingId);
            if (_relays.TryAdd(listingId, created))
            {
                _ = RunAsync(created);
                return created;
            }

            created.Dispose();
        }
    }

    private async Task RunAsync(ListingRelay relay)
    {
        await Task.Yield();
        var ending = await relay.RunAsync(Client(), () => new Metadata { { "authorization", $"Bearer {_serviceToken.Current}" } });
        _relays.TryRemove(new KeyValuePair<string, ListingRelay>(relay.ListingId, relay));
        relay.Dispose();
        if (ending.StatusCode != StatusCode.Cancelled)
            RelayEnded(_logger, relay.ListingId, ending.StatusCode, ending.Detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The relay of listing {ListingId} ended ({Status}: {Detail}); its watchers were told to reconnect")]
    private static partial void RelayEnded(ILogger logger, string listingId, StatusCode status, string detail);

    private AuctionService.AuctionServiceClient Client() =>
        new(_channels[(uint)Interlocked.Increment(ref _nextChannel) % _channels.Length]);

    /// <summary>
    /// The request: one gRPC frame (its size and form checked by <see cref="UnaryRequestMiddleware"/>),
    /// compressed with the call's grpc-encoding if its flag says so, as the services accept it. Null
    /// once a request that cannot be read has been answered.
    /// </summary>
    private async Task<WatchListingRequest?> ReadRequestAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var frame = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (frame.Length < EncodedMessage.FrameHeaderBytes || frame.Span[0] > 1
            || BinaryPrimitives.ReadUInt32BigEndian(frame.Span[1..]) != frame.Length - EncodedMessage.FrameHeaderBytes)
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.InvalidArgument, "the request is not one gRPC message: WatchListing takes exactly one WatchListingRequest");
            return null;
        }

        var message = frame[EncodedMessage.FrameHeaderBytes..];
        if (frame.Span[0] == 1)
        {
            var encoding = context.Request.Headers["grpc-encoding"].ToString();
            using var compressed = new MemoryStream(body.GetBuffer(), EncodedMessage.FrameHeaderBytes, message.Length, writable: false);
            using Stream? decompressing = encoding switch
            {
                "gzip" => new GZipStream(compressed, CompressionMode.Decompress),
                "deflate" => new ZLibStream(compressed, CompressionMode.Decompress),
                _ => null,
            };
            if (decompressing is null)
            {
                await GrpcErrorResponse.WriteAsync(context, StatusCode.Unimplemented,
                    $"the request is compressed with grpc-encoding '{encoding}': this server reads gzip or deflate, or an uncompressed message");
                return null;
            }

            // Read one byte past the cap: a message that inflates beyond it is refused, not held.
            var cap = _maxRequestMessageBytes;
            var inflated = new byte[cap + 1];
            int length;
            try
            {
                length = await decompressing.ReadAtLeastAsync(inflated, inflated.Length, throwOnEndOfStream: false, context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                await GrpcErrorResponse.WriteAsync(context, StatusCode.InvalidArgument, $"the request's message is not valid {encoding} data");
                return null;
            }

            if (length > cap)
            {
                await GrpcErrorResponse.WriteAsync(context, StatusCode.ResourceExhausted, UnaryRequestMiddleware.Oversized(cap));
                return null;
            }

            message = inflated.AsMemory(0, length);
        }

        try
        {
            return WatchListingRequest.Parser.ParseFrom(message.Span);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException exception)
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.InvalidArgument, $"the request is not a valid WatchListingRequest message: {exception.Message}");
            return null;
        }
    }

    private static async Task EndWithAsync(HttpContext context, Status status)
    {
        if (context.Response.HasStarted)
            EndWith(context, status);
        else
            await GrpcErrorResponse.WriteAsync(context, status.StatusCode, status.Detail);
    }

    private static void EndWith(HttpContext context, Status status)
    {
        context.Response.AppendTrailer("grpc-status", ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (status.Detail.Length > 0)
            context.Response.AppendTrailer("grpc-message", GrpcErrorResponse.EncodeMessage(status.Detail));
    }
}
