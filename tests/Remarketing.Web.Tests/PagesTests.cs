namespace Remarketing.Web.Tests;

/// <summary>
/// The remarketing center's market and a buying dealer's listing in a real browser, live against
/// the real system: what a bid through the gateway does to the center's page, what a bid on the
/// buyer's page does to another watcher, a soft-close extension, and what an idle page asks for.
/// </summary>
[Trait("Category", "System")]
[Collection(BrowserCollection.Name)]
public sealed class PagesTests(BrowserSystemFixture system) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => system.CloseOpenedAsync();

    private static readonly TimeSpan PageLoad = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABidThroughTheGateway_ShowsOnTheCentersMarket()
    {
        var listing = await system.CreateListingAsync();
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        var row = page.Locator($"tr[data-listing-id='{listing.ListingId}']");
        await BrowserSystemFixture.ShowsAsync(page, row);
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));

        var bid = await system.BidAsync(listing.ListingId, "B-WEB-1", 10_000_00);
        // The page does not poll (an idle page sends nothing, below): a price shown came over its stream. How soon is
        // MarketLoadTests' measure.
        await BrowserSystemFixture.ShowsPriceAsync(page, listing.ListingId, bid.CurrentPriceCents, TimeSpan.FromSeconds(5));

        Assert.True(bid.Accepted, bid.Message);
    }

    [Fact]
    public async Task ABidOnTheBuyersPage_IsSeenByASecondWatcher_AndARefusalShowsTheReason()
    {
        var listing = await system.CreateListingAsync();
        using var watching = new CancellationTokenSource(PageLoad);
        using var watcher = system.Auction.WatchListing(new WatchListingRequest { ListingId = listing.ListingId }, system.Buyer("B-WEB-WATCHER"), cancellationToken: watching.Token);
        var page = await system.OpenAsync($"/buyer/listing/{listing.ListingId}", RoleNames.Buyer, "B-WEB-2");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));

        await page.GetByLabel("Your bid ($)").FillAsync("10,000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place bid" }).ClickAsync();
        BidPlaced? seen = null;
        while (seen is null && await watcher.ResponseStream.MoveNext(watching.Token))
            seen = watcher.ResponseStream.Current.BidPlaced;
        await page.Locator("[data-bid-answer=accepted]").WaitForAsync();
        await page.GetByLabel("Your bid ($)").FillAsync("9,000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place bid" }).ClickAsync();
        var refusal = page.Locator("[data-bid-answer=refused]");
        await refusal.WaitForAsync(new() { Timeout = 10_000 });

        Assert.Equal(10_000_00, seen!.CurrentPriceCents);
        // The API's own reason (the leader bids again only by raising its maximum).
        Assert.StartsWith("Bid refused: you already lead", await refusal.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("you lead", await page.Locator(".standing").InnerTextAsync());
    }

    [Fact]
    public async Task ASoftCloseExtension_MovesTheTimeLeftOnTheCentersMarket()
    {
        // A two-minute window is inside the last three minutes from the start: any bid extends it.
        var listing = await system.CreateListingAsync(make: "Honda", window: TimeSpan.FromMinutes(2));
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        var row = page.Locator($"tr[data-listing-id='{listing.ListingId}']");
        await BrowserSystemFixture.ShowsAsync(page, row);
        var endsBefore = BrowserSystemFixture.Cents(await row.GetAttributeAsync("data-ends-at"));

        await system.BidAsync(listing.ListingId, "B-WEB-3", 10_000_00);
        await Assertions.Expect(row).ToHaveClassAsync("extended", new() { Timeout = 5_000 });
        var endsAfter = BrowserSystemFixture.Cents(await row.GetAttributeAsync("data-ends-at"));

        Assert.True(endsAfter > endsBefore, $"ends at {endsAfter} ms, not after {endsBefore} ms");
        Assert.Contains("extended ×1", await row.Locator(".time-left").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePage_RunsOnlyItsOwnScripts_AnInjectedInlineScriptIsBlocked()
    {
        using var http = new HttpClient { BaseAddress = system.System.GatewayHttpAddress };
        using var document = await http.GetAsync("/center");
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));

        // What an injection would try: a script element added to the page. The policy allows no inline script.
        var ran = await page.EvaluateAsync<bool>("""
            () => {
              const script = document.createElement('script');
              script.textContent = 'window.injected = true';
              document.body.append(script);
              return window.injected === true;
            }
            """);

        Assert.Equal(BrowserSystemFixture.ContentSecurityPolicy, string.Join(";", document.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(";", document.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(ran);
    }

    [Fact]
    public async Task AnIdlePage_AsksForNothing_ItsStreamCarriesEveryChange()
    {
        var listing = await system.CreateListingAsync();
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator($"tr[data-listing-id='{listing.ListingId}']"));
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));
        var asked = new List<string>();
        page.Request += (_, request) => asked.Add(request.Url);

        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = asked.ToList();
        await system.BidAsync(listing.ListingId, "B-WEB-4", 10_000_00);
        await Assertions.Expect(page.Locator($"tr[data-listing-id='{listing.ListingId}']")).ToHaveAttributeAsync("data-price-cents", "1000000");

        Assert.Empty(idle);
        Assert.Empty(asked);
    }
}
