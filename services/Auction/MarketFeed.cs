using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>WatchMarket: every live listing as it changes, for the remarketing center.</summary>
public sealed class MarketFeed(AuctionEngine engine, TimeProvider clock, IOptions<StreamOptions> streams, AuctionMetrics metrics, HeartbeatTicker ticker)
{
    private static readonly Caller MarketViewer = new("", RoleNames.Remarketing);
    private readonly ConcurrentDictionary<ServerStreamPump<MarketEvent>, byte> _watchers = new();

    public bool IsWatched => !_watchers.IsEmpty;

    public async Task WatchAsync(Caller caller, IServerStreamWriter<MarketEvent> writer, CancellationToken cancellationToken, PipeWriter? body = null)
    {
        var pump = new ServerStreamPump<MarketEvent>(streams.Value, () => new MarketEvent { Heartbeat = Heartbeats.Now(clock) }, ticker);
        // Something at once, even with no live listing: the gateway forwards nothing before a first message.
        pump.TryPublish(new MarketEvent { Heartbeat = Heartbeats.Now(clock) });
        _watchers.TryAdd(pump, 0);
        var running = pump.RunAsync(writer, cancellationToken, body);
        try
        {
            // Joined before the snapshots are read, so no change falls between them: a listing may
            // come twice, and its last_sequence tells the newer.
            var pageToken = "";
            do
            {
                var (listings, next) = await engine.ListAsync(ListingStatus.Live, 200, pageToken);
                foreach (var listing in listings)
                    await pump.PublishAsync(new MarketEvent { Listing = ListingViews.ToProto(listing, caller, 0, engine.Increments) }, cancellationToken);
                pageToken = next;
            }
            while (pageToken.Length > 0);
            // The snapshot is whole: a watcher that was away knows that a listing it still shows
            // live and did not get again has closed meanwhile.
            await pump.PublishAsync(new MarketEvent { Heartbeat = Heartbeats.Now(clock) }, cancellationToken);
        }
        catch (Exception exception) when (exception is ChannelClosedException or OperationCanceledException)
        {
        }

        try
        {
            await running;
        }
        finally
        {
            _watchers.TryRemove(pump, out _);
        }
    }

    /// <summary>Sends the listing as it stands now to every market watcher.</summary>
    public async Task PublishAsync(string listingId)
    {
        var listing = await engine.FindListingAsync(listingId);
        if (listing is null)
            return;
        var change = EncodedMessage.Encode(new MarketEvent { Listing = ListingViews.ToProto(listing, MarketViewer, 0, engine.Increments) });
        foreach (var pump in _watchers.Keys)
        {
            if (!pump.TryPublish(change) && !pump.IsClosed)
                metrics.EndFallenBehind(pump, "the market", "market");
        }
    }
}
