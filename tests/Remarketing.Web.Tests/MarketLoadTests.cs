using System.Diagnostics;
using Xunit.Abstractions;

namespace Remarketing.Web.Tests;

/// <summary>
/// The center's market page with 300 live listings: every bid through the gateway shows on its row over the page's
/// stream, half of them within a second. Each bid is allowed 5 s, not 1: under CI's full load (another suite's whole
/// system on the same two cores) one bid in 30 has taken 1.03 s; a bid the stream lost would take for ever.
/// </summary>
[Trait("Category", "System")]
[Collection(BrowserCollection.Name)]
public sealed class MarketLoadTests(BrowserSystemFixture system, ITestOutputHelper output) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => system.CloseOpenedAsync();

    private const int LiveListings = 300;
    private const int Bids = 30;
    private static readonly TimeSpan EveryBidWithin = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task WithThreeHundredLiveListings_EveryBidShowsOnTheMarket_TheMedianWithinOneSecond()
    {
        var listings = new List<Listing>();
        foreach (var batch in Enumerable.Range(0, LiveListings).Chunk(25))
            listings.AddRange(await Task.WhenAll(batch.Select(_ => system.CreateListingAsync(make: "Ford"))));
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator($"tr[data-listing-id='{listings[^1].ListingId}']"));
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));
        var rows = await page.Locator("tr[data-listing-id]").CountAsync();

        var shown = new List<TimeSpan>();
        for (var i = 0; i < Bids; i++)
        {
            var listing = listings[i * (LiveListings / Bids)];
            var bid = await system.BidAsync(listing.ListingId, $"B-LOAD-{i % 3}", 10_000_00);
            // From the bid's acknowledgement: the page's part, not the bid's own round trip.
            var bidding = Stopwatch.StartNew();
            await BrowserSystemFixture.ShowsPriceAsync(page, listing.ListingId, bid.CurrentPriceCents, EveryBidWithin);
            shown.Add(bidding.Elapsed);
        }

        shown.Sort();
        output.WriteLine($"{rows} rows; acknowledged bid to row, {Bids} bids: median {Ms(shown[Bids / 2])}, p90 {Ms(shown[Bids * 9 / 10])}, max {Ms(shown[^1])}");
        Assert.True(rows >= LiveListings, $"{rows} rows");
        Assert.All(shown, elapsed => Assert.InRange(elapsed, TimeSpan.Zero, EveryBidWithin));
        Assert.InRange(shown[Bids / 2], TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    private static string Ms(TimeSpan elapsed) => $"{elapsed.TotalMilliseconds:0} ms";
}
