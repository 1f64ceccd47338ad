using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// PlaceBid as the gateway serves it (gRPC over HTTP/2; gRPC-Web callers are forwarded as
/// before): a caller's bids travel to the Auction service as messages on a BidStream the gateway
/// keeps open for that caller, with the caller's forwarded identity, instead of as one forwarded
/// call each. The service holds a BidStream to PlaceBid's rules (the same checks, idempotency by
/// bid_id, per-caller write limit, and the caller's own view of the answer). Each stream carries
/// one bid at a time, so the status a stream ends with always belongs to the bid that caused it; a
/// caller placing several bids at once gets up to <see cref="StreamsPerCaller"/> streams, and
/// further bids wait for one.
/// </summary>
public sealed class BidCarriers : IDisposable
{
    public const string PlaceBidPath = "/remarketing.auction.v1.AuctionService/PlaceBid";

    public const int StreamsPerCaller = 4;

    public const string MeterName = "Remarketing.Gateway";

    /// <summary>A stream idle this long is closed.</summary>
    public static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A stream takes new bids at most until the forwarded identity it was opened with is due for
    /// renewal (the service checked that identity once, when the stream opened); each stream for a
    /// random half to all of that, so streams opened together (a burst, a restart) are not all
    /// opened again together.
    /// </summary>
    public static readonly TimeSpan MaxAge = ForwardedIdentity.Lifetime / 2;

    /// <summary>How long a stream being closed waits for the service to end it before it is reset.</summary>
    private static readonly TimeSpan RetirePatience = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Caller, CallerStreams> _callers = new();
    private readonly BidCarrierClient _auction;
    private readonly ForwardedIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private readonly Counter<long> _resent;

    /// <param name="time">Real time: never the shared clock, which a simulation runs fast.</param>
    public BidCarriers(BidCarrierClient auction, ForwardedIdentity identity, IMeterFactory meters, TimeProvider time)
    {
        _auction = auction;
        _identity = identity;
        _time = time;
        _sweep = time.CreateTimer(_ => Sweep(), null, MaxIdle, MaxIdle);
        var meter = meters.Create(MeterName);
        _resent = meter.CreateCounter<long>("remarketing.gateway.bids_resent",
            description: "Bids sent again on a new stream to the Auction service because the stream they were on broke");
        meter.CreateObservableGauge("remarketing.gateway.bid_streams_open", () => _callers.Values.Sum(streams => streams.Open),
            description: "Streams open to the Auction service carrying callers' PlaceBid calls, in use or waiting for a bid");
    }

    /// <summary>
    /// Places <paramref name="request"/> for <paramref name="caller"/> (the access check ran before: the
    /// caller may bid) and answers as PlaceBid would: the service's answer, or its status.
    /// </summary>
    public async Task<PlaceBidResponse> PlaceAsync(PlaceBidRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var streams = _callers.GetOrAdd(caller, _ => new CallerStreams());
        await streams.Turns.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // Sent again, a bid goes on a new stream: the caller's other waiting ones may be on the same lost instance.
                var carrier = (attempt == 1 ? streams.TakeFresh(_time.GetUtcNow()) : null) ?? Open(caller, streams);
                try
                {
                    var answer = await carrier.PlaceAsync(request, cancellationToken);
                    streams.Return(carrier, _time.GetUtcNow());
                    return answer;
                }
                catch (RpcException broken) when (attempt == 1 && IsBroken(broken.Status) && !cancellationToken.IsCancellationRequested)
                {
                    // The stream broke, the service said nothing (the instance behind it went away, now or
                    // while the stream waited): the bid goes again, once. One the old stream did apply is
                    // answered as it was (bid_id), so a dealer never has to tell the two apart.
                    carrier.Dispose();
                    _resent.Add(1);
                }
                catch (RpcException failure) when (!cancellationToken.IsCancellationRequested)
                {
                    carrier.Dispose();
                    throw new RpcException(AsTheCallerIsTold(failure.Status));
                }
                catch
                {
                    // The caller left or its deadline passed with the bid on its way: the stream's next
                    // answer would be this bid's, so the stream goes.
                    carrier.Dispose();
                    throw;
                }
            }
        }
        finally
        {
            streams.Turns.Release();
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        foreach (var streams in _callers.Values)
            streams.Retire(DateTimeOffset.MaxValue, retireAll: true);
    }

    private BidCarrier Open(Caller caller, CallerStreams streams)
    {
        // The stream outlives the call that opens it: it is no part of that call's trace.
        var current = Activity.Current;
        Activity.Current = null;
        try
        {
            var identity = new Metadata { { "authorization", _identity.AuthorizationFor(caller) } };
            return new BidCarrier(_auction.BidStream(identity), _time.GetUtcNow(), streams);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    /// <summary>Closes the streams idle or old past their time, and forgets callers with none left.</summary>
    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (caller, streams) in _callers)
        {
            if (streams.Retire(now, retireAll: false))
                _callers.TryRemove(new KeyValuePair<Caller, CallerStreams>(caller, streams));
        }
    }

    /// <summary>A status grpc-dotnet made itself (carrying the exception): the connection broke, the service said nothing.</summary>
    private static bool IsBroken(Status status) => status.DebugException is not null;

    /// <summary>The service's own status as it sent it; Unavailable when the stream broke on the way, as for a forwarded call.</summary>
    private static Status AsTheCallerIsTold(Status upstream) =>
        IsBroken(upstream)
            ? new Status(StatusCode.Unavailable, $"the service behind {PlaceBidPath} is unavailable ({upstream.StatusCode}): retry, with the same request id for a change")
            : new Status(upstream.StatusCode, upstream.Detail);

    /// <summary>One caller's streams: those waiting for a bid, and how many are open in all.</summary>
    private sealed class CallerStreams
    {
        private readonly List<BidCarrier> _idle = [];
        private int _open;
        private bool _retired;

        /// <summary>A turn for each stream the caller may have; a bid holds one while it is on its way.</summary>
        public SemaphoreSlim Turns { get; } = new(StreamsPerCaller, StreamsPerCaller);

        public int Open => Volatile.Read(ref _open);

        public void Opened() => Interlocked.Increment(ref _open);

        public void Closed() => Interlocked.Decrement(ref _open);

        /// <summary>The most recently used stream still fit for a bid, if any; the unfit ones met on the way are closed.</summary>
        public BidCarrier? TakeFresh(DateTimeOffset now)
        {
            while (true)
            {
                BidCarrier? carrier;
                lock (_idle)
                {
                    if (_idle.Count == 0)
                        return null;
                    carrier = _idle[^1];
                    _idle.RemoveAt(_idle.Count - 1);
                }

                if (carrier.IsFitAt(now))
                    return carrier;
                carrier.Retire();
            }
        }

        public void Return(BidCarrier carrier, DateTimeOffset now)
        {
            carrier.LastUsed = now;
            lock (_idle)
            {
                if (!_retired)
                {
                    _idle.Add(carrier);
                    return;
                }
            }

            carrier.Retire();
        }

        /// <summary>
        /// Closes the waiting streams unfit at <paramref name="now"/> (every one with <paramref name="retireAll"/>);
        /// true when none is open any more, and none will be kept from now on: the caller may be forgotten.
        /// </summary>
        public bool Retire(DateTimeOffset now, bool retireAll)
        {
            List<BidCarrier> unfit;
            bool idle;
            lock (_idle)
            {
                unfit = _idle.FindAll(carrier => retireAll || !carrier.IsFitAt(now));
                _idle.RemoveAll(unfit.Contains);
                idle = _idle.Count == 0 && Open == unfit.Count && Turns.CurrentCount == StreamsPerCaller;
                _retired |= idle || retireAll;
            }

            foreach (var carrier in unfit)
                carrier.Retire();
            return idle;
        }
    }

    /// <summary>One BidStream to the Auction service, with the caller's forwarded identity.</summary>
    private sealed class BidCarrier : IDisposable
    {
        private readonly AsyncDuplexStreamingCall<PlaceBidRequest, PlaceBidResponse> _call;
        private readonly DateTimeOffset _retireAt;
        private readonly CallerStreams _owner;
        private int _disposed;

        public BidCarrier(AsyncDuplexStreamingCall<PlaceBidRequest, PlaceBidResponse> call, DateTimeOffset openedAt, CallerStreams owner)
        {
            _call = call;
            _retireAt = openedAt + (MaxAge * (0.5 + (Random.Shared.NextDouble() / 2)));
            LastUsed = openedAt;
            _owner = owner;
            owner.Opened();
        }

        public DateTimeOffset LastUsed { get; set; }

        public bool IsFitAt(DateTimeOffset now) => now - LastUsed < MaxIdle && now < _retireAt;

        /// <summary>Sends the bid and reads its answer, past any heartbeat the stream sent while idle.</summary>
        public async Task<PlaceBidResponse> PlaceAsync(PlaceBidRequest request, CancellationToken cancellationToken)
        {
            try
            {
                return await SendAndReadAsync(request, cancellationToken);
            }
            catch (Exception broken) when (broken is not RpcException && !cancellationToken.IsCancellationRequested)
            {
                // grpc-dotnet's own failures of a stream that broke under a write or a read (it ended,
                // its connection went, its call was cancelled on the way down): the service said nothing.
                throw new RpcException(new Status(StatusCode.Unavailable, "the bid stream broke", broken));
            }
        }

        private async Task<PlaceBidResponse> SendAndReadAsync(PlaceBidRequest request, CancellationToken cancellationToken)
        {
            await _call.RequestStream.WriteAsync(request, cancellationToken);
            while (await _call.ResponseStream.MoveNext(cancellationToken))
            {
                if (_call.ResponseStream.Current is not { Heartbeat: null } answer)
                    continue;
                // One bid at a time makes this so; should it ever not be, no caller gets another's answer.
                if (answer.BidId != request.BidId)
                    throw new RpcException(new Status(StatusCode.Unavailable, $"the bid stream answered bid {answer.BidId} for bid {request.BidId}", new InvalidOperationException("answers out of step")));
                return answer;
            }

            throw new RpcException(new Status(StatusCode.Unavailable, "the bid stream ended without an answer", new EndOfStreamException()));
        }

        /// <summary>
        /// Ends an idle stream the way a client ends a stream it is done with: its side closed, the
        /// service's end read. Not a reset: the service's HTTP/2 server counts resets of streams it is
        /// still serving, and takes many at once for an attack (rapid reset) on the whole connection.
        /// </summary>
        public void Retire() => _ = RetireAsync();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
                return;
            _call.Dispose();
            _owner.Closed();
        }

        private async Task RetireAsync()
        {
            try
            {
                await _call.RequestStream.CompleteAsync();
                using var patience = new CancellationTokenSource(RetirePatience);
                while (await _call.ResponseStream.MoveNext(patience.Token))
                {
                }
            }
            catch (Exception exception) when (exception is RpcException or InvalidOperationException or OperationCanceledException)
            {
                // It was ending anyway.
            }
            finally
            {
                Dispose();
            }
        }
    }
}

/// <summary>The Auction service's client for the gateway's bid streams: a channel and connections of their own.</summary>
public sealed class BidCarrierClient(CallInvoker callInvoker) : AuctionService.AuctionServiceClient(callInvoker);

/// <summary>PlaceBid served by the gateway (<see cref="BidCarriers"/>); mapped by <see cref="PlaceBidOnly"/>.</summary>
public sealed class BidCarrierService(BidCarriers carriers)
{
    public Task<PlaceBidResponse> PlaceBid(PlaceBidRequest request, ServerCallContext context) =>
        carriers.PlaceAsync(request, context.GetCaller(), context.CancellationToken);
}

/// <summary>Maps <see cref="BidCarrierService"/> for gRPC over HTTP/2 only (<see cref="GatewayServedMethods"/>).</summary>
public sealed class PlaceBidOnly : Grpc.AspNetCore.Server.Model.IServiceMethodProvider<BidCarrierService>
{
    public void OnServiceMethodDiscovery(Grpc.AspNetCore.Server.Model.ServiceMethodProviderContext<BidCarrierService> context) =>
        context.AddUnaryMethod(GatewayServedMethods.AuctionMethod<PlaceBidRequest, PlaceBidResponse>(BidCarriers.PlaceBidPath),
            GatewayServedMethods.GrpcOnly,
            (service, request, call) => service.PlaceBid(request, call));
}
