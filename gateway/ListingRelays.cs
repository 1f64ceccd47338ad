using System.Collections.Concurrent;
using System.IO.Pipelines;
using Grpc.Core;
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
    private readonly AuctionService.AuctionServiceClient _auction;
    private readonly ListingFeedClient _feeds;
    private readonly ForwardedIdentity _identity;
    private readonly ServiceToken _serviceToken;
    private readonly StreamOptions _streams;
    private readonly TimeProvider _clock;
    private readonly HeartbeatTicker _ticker;
    private readonly ILogger<ListingRelays> _logger;

    public ListingRelays(AuctionService.AuctionServiceClient auction, ListingFeedClient feeds, ForwardedIdentity identity, TokenIssuer issuer, IOptions<StreamOptions> streams, TimeProvider clock, HeartbeatTicker ticker, ILogger<ListingRelays> logger)
    {
        _auction = auction;
        _feeds = feeds;
        _identity = identity;
        _serviceToken = new ServiceToken(issuer);
        _streams = streams.Value;
        _clock = clock;
        _ticker = ticker;
        _logger = logger;
    }

    /// <summary>
    /// Serves one caller's WatchListing (the access check ran before: the caller may call it)
    /// until the caller leaves or the stream ends; encoded-once events go straight to <paramref name="body"/>.
    /// </summary>
    public async Task WatchListingAsync(WatchListingRequest request, Caller caller, IServerStreamWriter<ListingEvent> stream, PipeWriter body, CancellationToken cancellationToken)
    {
        var watcher = new ListingRelayWatcher(caller, request.ListingId, request.AfterSequence, _streams, _ticker, _clock);
        var running = watcher.Pump.RunAsync(stream, cancellationToken, body);
        var relay = await FollowAsync(watcher, request, cancellationToken);
        try
        {
            await running;
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
    }

    /// <summary>Reads the caller's own call until the watcher joins the listing's relay (which it returns), or the call ends.</summary>
    private async Task<ListingRelay?> FollowAsync(ListingRelayWatcher watcher, WatchListingRequest request, CancellationToken cancellationToken)
    {
        using var own = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var identity = new Metadata { { "authorization", _identity.AuthorizationFor(watcher.Caller) } };
        try
        {
            using var call = _auction.WatchListing(request, identity, cancellationToken: own.Token);
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
            watcher.Pump.Fail(new RpcException(AsTheCallerIsTold(exception.Status, watcher.ListingId)));
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // The caller left, or its stream ended (it fell behind).
        }

        return null;
    }

    /// <summary>
    /// The service's own status (NotFound, PermissionDenied …) as it sent it; or Unavailable when the
    /// call broke on the way (the status grpc-dotnet made itself, carrying the exception: a stream cut
    /// while it reads is Internal there).
    /// </summary>
    private static Status AsTheCallerIsTold(Status upstream, string listingId) =>
        upstream.DebugException is not null
            ? new Status(StatusCode.Unavailable, $"the live feed of listing {listingId} was interrupted (the Auction service went away): reconnect with after_sequence set to the last sequence you received")
            : upstream;

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
        var ending = await relay.RunAsync(_feeds, () => new Metadata { { "authorization", $"Bearer {_serviceToken.Current}" } });
        _relays.TryRemove(new KeyValuePair<string, ListingRelay>(relay.ListingId, relay));
        relay.Dispose();
        if (ending.StatusCode != StatusCode.Cancelled)
            RelayEnded(_logger, relay.ListingId, ending.StatusCode, ending.Detail);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The relay of listing {ListingId} ended ({Status}: {Detail}); its watchers were told to reconnect")]
    private static partial void RelayEnded(ILogger logger, string listingId, StatusCode status, string detail);
}

/// <summary>
/// The Auction service's client for the relays' own streams (RelayListing): a channel and
/// connections apart from the callers' own calls. The gateway cancels each of those as its caller
/// joins a relay, and the service's HTTP/2 server refuses new streams on a connection where too many
/// cancelled ones are still finishing, then closes it (Kestrel's defence against rapid resets): a
/// burst of callers joining must not take the relays down with it.
/// </summary>
public sealed class ListingFeedClient(CallInvoker callInvoker) : AuctionService.AuctionServiceClient(callInvoker);
