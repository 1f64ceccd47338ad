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

    private readonly ConcurrentDictionary<Caller, CallerBidStreams> _callers = new();
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
        var streams = _callers.GetOrAdd(caller, _ => new CallerBidStreams());
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

    private BidCarrier Open(Caller caller, CallerBidStreams streams)
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
                _callers.TryRemove(new KeyValuePair<Caller, CallerBidStreams>(caller, streams));
        }
    }

    /// <summary>A status grpc-dotnet made itself (carrying the exception): the connection broke, the service said nothing.</summary>
    private static bool IsBroken(Status status) => status.DebugException is not null;

    /// <summary>The service's own status as it sent it; Unavailable when the stream broke on the way, as for a forwarded call.</summary>
    private static Status AsTheCallerIsTold(Status upstream) =>
        IsBroken(upstream)
            ? new Status(StatusCode.Unavailable, $"the service behind {PlaceBidPath} is unavailable ({upstream.StatusCode}): retry, with the same request id for a change")
            : new Status(upstream.StatusCode, upstream.Detail);
}
