using System.Collections.Concurrent;
using System.Threading.Channels;
using Remarketing.Auction.Engine;
using StackExchange.Redis;

namespace Remarketing.Auction;

/// <summary>
/// One instance's sharded pub/sub subscriptions (SSUBSCRIBE): the creations channel in the
/// auction's slot, and each live listing's changes channel in the listing's own slot. On Redis
/// Cluster a change is sent only by the shard that holds the listing, not broadcast over the bus
/// to every node. Wake-ups from all channels are handed on one at a time, in order of arrival.
/// </summary>
/// <remarks>
/// A listing's channel is joined when its creation is announced, or when <see cref="SyncAsync"/>
/// finds it in the live index (at start, and after a lost announcement). It is left once the
/// listing has been missing from the live index at two syncs in a row: a listing leaves the index
/// after its close is announced, so by the second sync that announcement has long been read.
/// </remarks>
public sealed partial class ListingChannels : IAsyncDisposable
{
    private const int PageSize = 1000;

    private readonly ISubscriber _subscriber;
    private readonly IDatabase _redis;
    private readonly ILogger<ListingChannels> _logger;
    private readonly Channel<RedisValue> _wakeUps = Channel.CreateUnbounded<RedisValue>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<RedisChannel, RedisValue> _enqueue;
    /// <summary>The listings whose channel is joined, with the number of syncs in a row that did not find them live.</summary>
    private readonly ConcurrentDictionary<string, int> _joined = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _syncing = new(1, 1);
    private Task? _handling;

    public ListingChannels(IConnectionMultiplexer connection, ILogger<ListingChannels> logger)
    {
        _subscriber = connection.GetSubscriber();
        _redis = connection.GetDatabase();
        _logger = logger;
        _enqueue = (_, message) => _wakeUps.Writer.TryWrite(message);
    }

    /// <summary>Whether this instance has joined the listing's changes channel.</summary>
    public bool Hears(string listingId) => _joined.ContainsKey(listingId);

    /// <summary>Joins the creations channel and every live listing's; <paramref name="onWakeUp"/> then gets every announcement.</summary>
    public async Task StartAsync(Func<ListingSchema.Announcement, Task> onWakeUp)
    {
        _handling = HandleAsync(onWakeUp);
        await _subscriber.SubscribeAsync(RedisChannel.Sharded(AuctionKeys.ListingsChannel), _enqueue);
        await SyncAsync();
    }

    /// <summary>
    /// Joins the channel of every listing in the live index not joined yet, and leaves those
    /// missing from it at two syncs in a row. A listing joined here is announced as created, so
    /// what changed before this instance heard of it is read.
    /// </summary>
    public async Task SyncAsync()
    {
        await _syncing.WaitAsync();
        try
        {
            var live = new HashSet<string>(StringComparer.Ordinal);
            for (long start = 0; ; start += PageSize)
            {
                var page = await _redis.SortedSetRangeByRankAsync(AuctionKeys.Live, start, start + PageSize - 1);
                foreach (var listingId in page)
                    live.Add(listingId!);
                if (page.Length < PageSize)
                    break;
            }

            var joining = live.Where(listingId => !_joined.ContainsKey(listingId)).ToList();
            var joined = await Task.WhenAll(joining.Select(JoinAsync));
            for (var i = 0; i < joining.Count; i++)
            {
                if (joined[i])
                    _wakeUps.Writer.TryWrite(new ListingSchema.Announcement(joining[i], 0, 0).Message);
            }

            foreach (var (listingId, misses) in _joined)
            {
                if (live.Contains(listingId))
                    _joined[listingId] = 0;
                else if (misses == 0)
                    _joined[listingId] = 1;
                else if (_joined.TryRemove(listingId, out _))
                    await _subscriber.UnsubscribeAsync(RedisChannel.Sharded(AuctionKeys.Changes(listingId)), _enqueue);
            }
        }
        finally
        {
            _syncing.Release();
        }
    }

    /// <summary>Hands on what had arrived, and nothing after (the subscriptions end with the connection).</summary>
    public async Task StopAsync()
    {
        _wakeUps.Writer.TryComplete();
        if (_handling is not null)
            await _handling;
    }

    public ValueTask DisposeAsync()
    {
        _wakeUps.Writer.TryComplete();
        _syncing.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Subscribes to the listing's changes unless already subscribed; true if it joined now.</summary>
    private async Task<bool> JoinAsync(string listingId)
    {
        if (!_joined.TryAdd(listingId, 0))
            return false;
        try
        {
            await _subscriber.SubscribeAsync(RedisChannel.Sharded(AuctionKeys.Changes(listingId)), _enqueue);
            return true;
        }
        catch
        {
            // Not joined: the next sync tries again.
            _joined.TryRemove(listingId, out _);
            throw;
        }
    }

    private async Task HandleAsync(Func<ListingSchema.Announcement, Task> onWakeUp)
    {
        await foreach (var message in _wakeUps.Reader.ReadAllAsync())
        {
            try
            {
                if (ListingSchema.Announcement.Parse(message) is not { } announcement)
                    continue;
                // A creation: joined before it is handed on, so no change after the read it causes goes unheard.
                if (announcement.LastSequence == 0)
                    await JoinAsync(announcement.ListingId);
                await onWakeUp(announcement);
            }
            catch (Exception exception)
            {
                // Never ends the loop: the periodic catch-up reads what this wake-up would have.
                WakeUpMissed(_logger, exception, (string?)message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the events behind {Notification}; the periodic catch-up will")]
    private static partial void WakeUpMissed(ILogger logger, Exception exception, string? notification);
}
