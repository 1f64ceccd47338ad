using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Remarketing.Auction.Tests;

/// <summary>
/// Each listing's changes come on its own sharded channel (in the listing's slot), which an
/// instance joins when the listing is announced or found live, and leaves once it has closed.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class ListingChannelsTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);
    private readonly Channel<ListingSchema.Announcement> _heard = Channel.CreateUnbounded<ListingSchema.Announcement>();

    /// <summary>An instance's channels, started: what they hear goes to <see cref="_heard"/>.</summary>
    private async Task<ListingChannels> StartAsync()
    {
        var channels = new ListingChannels(redis.Connection, NullLogger<ListingChannels>.Instance);
        await channels.StartAsync(announcement => _heard.Writer.WriteAsync(announcement).AsTask());
        return channels;
    }

    /// <summary>The next announcement about <paramref name="listingId"/> (others' live listings share this Redis).</summary>
    private async Task<ListingSchema.Announcement> NextAboutAsync(string listingId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var announcement = await _heard.Reader.ReadAsync(timeout.Token);
            if (announcement.ListingId == listingId)
                return announcement;
        }
    }

    [Fact]
    public async Task AListingCreatedWhileTheInstanceRuns_IsAnnounced_ThenEachChangeComesOnItsOwnChannel()
    {
        await using var channels = await StartAsync();

        var listing = await _auction.CreateAsync();
        Assert.Equal(new ListingSchema.Announcement(listing.ListingId, 0, 0), await NextAboutAsync(listing.ListingId));
        Assert.True(channels.Hears(listing.ListingId));

        var bid = await _auction.BidAsync(listing, "D-A", 100_00);
        Assert.Equal(new ListingSchema.Announcement(listing.ListingId, 1, bid.Sequence), await NextAboutAsync(listing.ListingId));
    }

    [Fact]
    public async Task AListingCreatedBeforeTheInstanceStarted_IsJoinedFromTheLiveIndex_AndAnnouncedSoItsPastIsRead()
    {
        var listing = await _auction.CreateAsync();
        await _auction.BidAsync(listing, "D-A", 100_00);

        await using var channels = await StartAsync();

        Assert.Equal(new ListingSchema.Announcement(listing.ListingId, 0, 0), await NextAboutAsync(listing.ListingId));
        var bid = await _auction.BidAsync(listing, "D-B", 200_00);
        Assert.Equal(new ListingSchema.Announcement(listing.ListingId, bid.Sequence, bid.Sequence), await NextAboutAsync(listing.ListingId));
    }

    [Fact]
    public async Task AClosedListingsChannel_IsLeft_AtTheSecondSyncThatDoesNotFindItLive()
    {
        await using var channels = await StartAsync();
        var closed = await _auction.CreateAsync();
        var open = await _auction.CreateAsync();
        await NextAboutAsync(open.ListingId);
        var closing = await _auction.Engine.CloseEarlyAsync(TestAuction.Center, closed.ListingId, Guid.NewGuid().ToString("N"), "damaged in transit", withdraw: true);
        Assert.Equal(ListingStatus.Withdrawn, closing.Status);
        Assert.Equal(closing.LastSequence, (await NextAboutAsync(closed.ListingId)).LastSequence);

        await channels.SyncAsync();
        Assert.True(channels.Hears(closed.ListingId), "left at the first sync that missed it: its close may still be on its way");
        await channels.SyncAsync();
        Assert.False(channels.Hears(closed.ListingId));
        Assert.True(channels.Hears(open.ListingId));

        // Left: a message on its channel is not heard, while one on a joined channel behind it is.
        var publisher = redis.Connection.GetSubscriber();
        await publisher.PublishAsync(RedisChannel.Sharded(AuctionKeys.Changes(closed.ListingId)), $"{closed.ListingId} 90 90");
        await publisher.PublishAsync(RedisChannel.Sharded(AuctionKeys.Changes(open.ListingId)), $"{open.ListingId} 91 91");
        var next = await _heard.Reader.ReadAsync();
        while (next.ListingId != open.ListingId && next.ListingId != closed.ListingId)
            next = await _heard.Reader.ReadAsync();
        Assert.Equal(new ListingSchema.Announcement(open.ListingId, 91, 91), next);
    }
}
