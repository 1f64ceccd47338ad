namespace Remarketing.Auction.Tests;

/// <summary>The Lua engine against the reference model, bid for bid, over seeded random bidding.</summary>
[Collection(RedisCollection.Name)]
public class ReferenceModelTests(RedisConnectionFixture redis)
{
    private static readonly string[] Dealers = ["D-1", "D-2", "D-3", "D-4", "D-5"];

    [Theory]
    [InlineData(1, 0L)]
    [InlineData(2, 6_000_00L)]
    [InlineData(3, 20_000_00L)]
    [InlineData(4, 900_00L)]
    public async Task EveryAnswer_AndTheLog_MatchTheReferenceModel(int seed, long floor)
    {
        var auction = new TestAuction(redis.Connection);
        var listing = await auction.CreateAsync(opening: 500_00, floor: floor);
        var model = new ReferenceAuction(listing.OpeningPriceCents, floor, auction.Engine.Increments);
        var random = new Random(seed);
        var expectedPrices = new List<long>();

        for (var i = 0; i < 250; i++)
        {
            var dealer = Dealers[random.Next(Dealers.Length)];
            // Mostly near the minimum (some short of it), now and then a maximum well above.
            var amount = Math.Max(1, model.MinimumNext + (random.Next(-2, 6) * 25_00));
            var maximum = random.Next(3) switch
            {
                0 => amount + (random.Next(0, 40) * 50_00),
                1 when random.Next(10) == 0 => amount - 1,
                _ => 0,
            };
            var priceBefore = model.Price;
            var leaderBefore = model.Leader;

            var expected = model.Bid(dealer, amount, maximum);
            var answer = await auction.BidAsync(listing, dealer, amount, maximum);

            var step = $"bid {i}: {dealer} {amount}/{maximum}";
            Assert.True(expected == answer.Rejection, $"{step}: expected {expected}, engine said {answer.Rejection}");
            Assert.True(model.Price == answer.CurrentPriceCents, $"{step}: expected price {model.Price}, engine {answer.CurrentPriceCents}");
            Assert.True((model.Leader == dealer) == answer.CallerLeads, $"{step}: leader expected {model.Leader}");
            Assert.True(model.MaximumOf(dealer) == answer.CallerMaximumCents, $"{step}: own maximum expected {model.MaximumOf(dealer)}, engine {answer.CallerMaximumCents}");
            if (model.Price != priceBefore || model.Leader != leaderBefore)
                expectedPrices.Add(model.Price);
        }

        var state = await auction.ReadAsync(listing);
        Assert.Equal((model.Price, model.Leader), (state.CurrentPriceCents, state.LeaderDealerId));
        var log = await auction.EventsAsync(listing);
        Assert.Equal(expectedPrices, log.Select(e => e.PriceCents));
        // The run is worth something only if it raced: many price changes, some of them by proxy.
        Assert.True(log.Count >= 60, $"only {log.Count} events");
        Assert.Contains(log, e => e.Proxy);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(n => (long)n), log.Select(e => e.Sequence));
    }
}
