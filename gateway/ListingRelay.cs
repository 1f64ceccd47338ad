using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Gateway;

/// <summary>
/// One listing's live events for every watcher of it on this gateway, from one RelayListing
/// stream to the Auction service: each event comes once, in both views, and each watcher is
/// written the view it may see (the leader's only for the buyer it names). Without it, every
/// watcher was its own upstream stream, and the gateway and the service each wrote every event
/// once per watcher (docs/benchmarks.md). A watcher joins once it has had, from its own call,
/// every event up to one the relay still holds, so it gets each event once and in order.
/// </summary>
public sealed class ListingRelay : IDisposable
{
    /// <summary>Events kept for watchers joining a little behind the relay.</summary>
    private const int Kept = 256;

    private readonly Lock _lock = new();
    private readonly HashSet<ListingRelayWatcher> _watchers = [];
    private readonly Queue<RelayedEvent> _recent = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private long _lastSequence = -1;
    private bool _ended;

    public ListingRelay(string listingId) => ListingId = listingId;

    public string ListingId { get; }

    /// <summary>Completes when the relay knows the sequence it starts after.</summary>
    public Task Started => _started.Task;

    /// <summary>True once the relay takes no one (its stream ended or its last watcher left).</summary>
    public bool HasEnded
    {
        get
        {
            lock (_lock)
                return _ended;
        }
    }

    /// <summary>
    /// Reads the relay stream until it ends, then ends every watcher on it (they resume with
    /// after_sequence); returns how the stream ended.
    /// </summary>
    public async Task<Status> RunAsync(AuctionService.AuctionServiceClient auction, Func<Metadata> serviceIdentity)
    {
        Status ending;
        try
        {
            using var call = auction.RelayListing(new RelayListingRequest { ListingId = ListingId }, serviceIdentity(), cancellationToken: _stop.Token);
            await foreach (var relayed in call.ResponseStream.ReadAllAsync(_stop.Token))
                Receive(relayed);
            ending = new Status(StatusCode.Unavailable, "the listing's live feed ended");
        }
        catch (RpcException exception)
        {
            ending = exception.Status;
        }
        catch (OperationCanceledException)
        {
            ending = Status.DefaultCancelled;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IOException)
        {
            ending = new Status(StatusCode.Internal, exception.Message);
        }

        End(new RpcException(new Status(StatusCode.Unavailable,
            $"the live feed of listing {ListingId} was interrupted ({ending.StatusCode}): reconnect with after_sequence set to the last sequence you received")));
        return ending;
    }

    /// <summary>
    /// Joins the watcher when the relay holds every event after the watcher's last one; false
    /// when it does not (yet): the watcher goes on reading its own call and tries again.
    /// </summary>
    public bool TryJoin(ListingRelayWatcher watcher)
    {
        lock (_lock)
        {
            if (_ended || _lastSequence < watcher.Delivered)
                return false;
            if (_lastSequence > watcher.Delivered)
            {
                if (_recent.Count == 0 || _recent.Peek().Sequence > watcher.Delivered + 1)
                    return false;
                foreach (var missed in _recent.Where(e => e.Sequence > watcher.Delivered))
                {
                    if (!watcher.Deliver(missed.Sequence, missed.ViewFor(watcher.Caller)))
                        return false;
                }
            }

            _watchers.Add(watcher);
            return true;
        }
    }

    /// <summary>Takes the watcher off; the relay stops with its last watcher.</summary>
    public void Leave(ListingRelayWatcher watcher)
    {
        lock (_lock)
        {
            // Already gone if it fell behind: the relay took it off then.
            _watchers.Remove(watcher);
            if (_watchers.Count > 0 || _ended)
                return;
            _ended = true;
        }

        _stop.Cancel();
    }

    public void Dispose() => _stop.Dispose();

    private void Receive(RelayedListingEvent relayed)
    {
        RelayedEvent received;
        ListingRelayWatcher[] watchers;
        lock (_lock)
        {
            if (_lastSequence < 0)
            {
                // The first message: the sequence the relay starts after.
                _lastSequence = relayed.Sequence;
                _started.TrySetResult();
                return;
            }

            // A heartbeat: nothing happened, and every watcher gets its own heartbeats.
            if (relayed.KindCase != RelayedListingEvent.KindOneofCase.Views || relayed.Sequence <= _lastSequence)
                return;
            received = new RelayedEvent(relayed);
            _recent.Enqueue(received);
            if (_recent.Count > Kept)
                _recent.Dequeue();
            _lastSequence = relayed.Sequence;
            // A watcher joining from here on finds this event among the recent ones.
            watchers = [.. _watchers];
        }

        // Written outside the lock, so joining and leaving never wait for a pass over every watcher.
        List<ListingRelayWatcher>? ended = null;
        foreach (var watcher in watchers)
        {
            if (!watcher.Deliver(received.Sequence, received.ViewFor(watcher.Caller)))
                (ended ??= []).Add(watcher);
        }

        if (ended is null)
            return;
        lock (_lock)
            _watchers.ExceptWith(ended);
    }

    private void End(RpcException status)
    {
        ListingRelayWatcher[] watchers;
        lock (_lock)
        {
            _ended = true;
            watchers = [.. _watchers];
            _watchers.Clear();
        }

        _started.TrySetResult();
        foreach (var watcher in watchers)
            watcher.Pump.Fail(status);
    }

    /// <summary>An event as the relay received it, each view framed once for all its watchers.</summary>
    private sealed class RelayedEvent(RelayedListingEvent relayed)
    {
        private readonly EncodedMessage<ListingEvent> _forOthers = EncodedMessage.Encode(ListingEvent.Parser.ParseFrom(relayed.Views.ForOthers));
        private readonly EncodedMessage<ListingEvent>? _forLeader = relayed.Views.ForLeader.IsEmpty ? null : EncodedMessage.Encode(ListingEvent.Parser.ParseFrom(relayed.Views.ForLeader));
        private readonly string _leader = relayed.Views.LeaderDealerId;

        public long Sequence { get; } = relayed.Sequence;

        public EncodedMessage<ListingEvent> ViewFor(Caller caller) =>
            _forLeader is not null && caller.Role == RoleNames.Buyer && caller.Subject == _leader ? _forLeader : _forOthers;
    }
}

/// <summary>One caller's WatchListing stream on the gateway.</summary>
public sealed class ListingRelayWatcher
{
    private readonly Status _fellBehind;

    public ListingRelayWatcher(Caller caller, string listingId, long afterSequence, StreamOptions options, HeartbeatTicker ticker, TimeProvider clock)
    {
        Caller = caller;
        ListingId = listingId;
        Delivered = afterSequence;
        _fellBehind = FellBehind.Listing(listingId);
        Pump = new ServerStreamPump<ListingEvent>(options, () => new ListingEvent
        {
            Sequence = Delivered,
            OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Heartbeat = Heartbeats.Now(clock),
        }, ticker, quietUntilFirstMessage: true); // the snapshot comes first, from the caller's own call
    }

    public Caller Caller { get; }

    public string ListingId { get; }

    /// <summary>The sequence of the last event queued for this watcher.</summary>
    public long Delivered { get; set; }

    public ServerStreamPump<ListingEvent> Pump { get; }

    /// <summary>False when the stream has ended, or fell behind and is ended now.</summary>
    public bool Deliver(long sequence, EncodedMessage<ListingEvent> view)
    {
        if (sequence <= Delivered)
            return true;
        if (!Pump.TryPublishLive(view, _fellBehind))
            return false;
        Delivered = sequence;
        return true;
    }
}
