using System.Diagnostics.Metrics;
using Grpc.Core;
using Remarketing.Auction.Engine;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>
/// The Auction service's meters ("Remarketing.Auction", exported with the service's other
/// metrics): bids answered, by outcome; how many WatchListing streams receive the live feed, and
/// how many streams were ended because their reader fell behind.
/// </summary>
public sealed class AuctionMetrics
{
    public const string MeterName = "Remarketing.Auction";
    public const string ListingWatchers = "auction.listing.watchers";
    public const string StreamsFellBehind = "auction.stream.fell_behind";
    public const string Bids = "auction.bids";

    private readonly UpDownCounter<long> _watchers;
    private readonly Counter<long> _fellBehind;
    private readonly Counter<long> _bids;

    public AuctionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _watchers = meter.CreateUpDownCounter<long>(ListingWatchers, description: "WatchListing streams receiving the live feed");
        _fellBehind = meter.CreateCounter<long>(StreamsFellBehind, description: "streams ended because their reader fell behind");
        _bids = meter.CreateCounter<long>(Bids, description: "bids answered (a retry of a bid id counts again), by outcome: accepted, or the rejection");
    }

    public void BidAnswered(BidAnswer answer) =>
        _bids.Add(1, new KeyValuePair<string, object?>("outcome", answer.Accepted ? "accepted" : answer.Rejection.ToString()));

    public void WatcherJoined() => _watchers.Add(1);

    public void WatcherLeft() => _watchers.Add(-1);

    /// <param name="stream">"listing", "market" or "my_bids".</param>
    public void FellBehind(string stream) => _fellBehind.Add(1, new KeyValuePair<string, object?>("stream", stream));

    /// <summary>Counts a stream whose reader fell behind <paramref name="what"/> and ends it, telling the reader to reconnect.</summary>
    public void EndFallenBehind<T>(ServerStreamPump<T> pump, string what, string stream)
    {
        FellBehind(stream);
        pump.Fail(new RpcException(new Status(StatusCode.ResourceExhausted, $"this stream fell behind {what}: reconnect to start again")));
    }
}
