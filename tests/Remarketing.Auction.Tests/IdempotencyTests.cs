namespace Remarketing.Auction.Tests;

/// <summary>DESIGN 4: a retry of the same bid id returns the first answer and changes nothing.</summary>
[Collection(RedisCollection.Name)]
public class IdempotencyTests(RedisConnectionFixture redis)
{
    private readonly TestAuction _auction = new(redis.Connection);

    [Fact]
    public async Task RepeatedBidId_ReturnsTheFirstAnswer_AndChangesNothing()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        var first = await _auction.BidAsync(listing, "D-A", 1_000_00, bidId: "a-1");
        await _auction.BidAsync(listing, "D-B", 1_500_00);
        var before = (await _auction.ReadAsync(listing), await _auction.EventsAsync(listing));

        var retry = await _auction.BidAsync(listing, "D-A", 1_000_00, bidId: "a-1");

        Assert.Equal(first, retry);
        var after = (await _auction.ReadAsync(listing), await _auction.EventsAsync(listing));
        Assert.Equal(before.Item1, after.Item1);
        Assert.Equal(before.Item2.Count, after.Item2.Count);
    }

    [Fact]
    public async Task RepeatedBidId_OfARejectedBid_ReturnsTheSameRejection()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        var rejected = await _auction.BidAsync(listing, "D-A", 900_00, bidId: "a-1");
        await _auction.BidAsync(listing, "D-B", 1_000_00);

        var retry = await _auction.BidAsync(listing, "D-A", 900_00, bidId: "a-1");

        Assert.Equal(rejected, retry);
    }

    [Fact]
    public async Task RepeatedBidId_WithAnotherAmount_IsInvalidArgument_AndChangesNothing()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, bidId: "a-1");
        var before = await _auction.ReadAsync(listing);

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _auction.BidAsync(listing, "D-A", 2_000_00, bidId: "a-1"));

        Assert.Equal($"bid_id 'a-1' was already used for a different bid on {listing.ListingId}; use a new bid_id for a new bid", refusal.Message);
        Assert.Equal(before, await _auction.ReadAsync(listing));
    }

    [Fact]
    public async Task SameBidId_FromAnotherDealer_IsAnotherBid()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        await _auction.BidAsync(listing, "D-A", 1_000_00, bidId: "x");

        var other = await _auction.BidAsync(listing, "D-B", 1_050_00, bidId: "x");

        Assert.True(other.Accepted && other.CallerLeads);
    }

    [Fact]
    public async Task RepeatedBidId_AfterTheAuctionServiceRestarts_ReturnsTheFirstAnswer()
    {
        var listing = await _auction.CreateAsync(opening: 1_000_00);
        var first = await _auction.BidAsync(listing, "D-A", 1_000_00, maximum: 2_000_00, bidId: "a-1");

        // A new process: a new connection and a new engine; only Redis remembers.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var restarted = _auction.AnotherInstance(connection);
        var retry = await restarted.PlaceBidAsync("D-A", listing.ListingId, "a-1", 1_000_00, 2_000_00);

        Assert.Equal(first, retry);
        Assert.Single(await _auction.EventsAsync(listing));
    }
}
