using Remarketing.Auction.Engine;
using StackExchange.Redis;

namespace Remarketing.Auction;

/// <summary>
/// One watched listing on this instance: reads each new event from the listing's log once, gives
/// it to every watcher (built and encoded once per view) and to the my-bids notices.
/// </summary>
public sealed class ListingFeed(string listingId, long lastSequence, IDatabase redis, AuctionMetrics metrics, MyBidsNotices notices) : IDisposable
{
    private const int PageSize = 500;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<IListingSubscriber> _watchers = [];
    private long _lastSequence = lastSequence;
    private bool _closed;
    private bool _retired;

    public string ListingId { get; } = listingId;

    /// <summary>Reads and hands out every event after the last one this feed handed out.</summary>
    public async Task CatchUpAsync()
    {
        await _gate.WaitAsync();
        try
        {
            while (true)
            {
                var entries = await redis.StreamRangeAsync(AuctionKeys.Events(ListingId), StoredEvent.After(_lastSequence), "+", PageSize);
                foreach (var entry in entries)
                {
                    var stored = StoredEvent.From(entry);
                    IListingSubscriber[] watchers;
                    lock (_watchers)
                        watchers = [.. _watchers];
                    if (watchers.Length > 0)
                    {
                        var delivery = ListingEventDelivery.Of(stored);
                        foreach (var watcher in watchers)
                        {
                            if (watcher.Deliver(delivery))
                                continue;
                            if (watcher.FellBehind)
                                metrics.FellBehind("listing");
                            Remove(watcher);
                        }
                    }

                    await notices.NotifyAsync(ListingId, stored);
                    _closed |= stored.Kind == EventKind.Close;
                    _lastSequence = stored.Sequence;
                }

                if (entries.Length < PageSize)
                    return;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Joins when the feed has handed out nothing the watcher lacks; otherwise it has more to catch up first.</summary>
    public async Task<bool> TryJoinAsync(IListingSubscriber watcher)
    {
        await _gate.WaitAsync();
        try
        {
            if (_retired || _lastSequence > watcher.Delivered)
                return false;
            lock (_watchers)
                _watchers.Add(watcher);
            metrics.WatcherJoined();
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Remove(IListingSubscriber watcher)
    {
        bool removed;
        lock (_watchers)
            removed = _watchers.Remove(watcher);
        if (removed)
            metrics.WatcherLeft();
    }

    /// <summary>A closed listing with no watchers needs no feed; a retired feed takes no one.</summary>
    public bool CanRetire(bool nobodyWatchesBids)
    {
        if (!_gate.Wait(0))
            return false;
        try
        {
            lock (_watchers)
                _retired = _watchers.Count == 0 && (_closed || nobodyWatchesBids);
            return _retired;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
