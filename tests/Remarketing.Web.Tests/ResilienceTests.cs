namespace Remarketing.Web.Tests;

/// <summary>
/// What the pages do when the connection or the token fails: the market comes back after the
/// gateway restarts with nothing missed, and a refused token ends in the sign-in form with why.
/// </summary>
[Trait("Category", "System")]
[Collection(BrowserCollection.Name)]
public sealed class ResilienceTests(BrowserSystemFixture system) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => system.CloseOpenedAsync();

    [Fact]
    public async Task TheMarket_AfterTheGatewayRestarts_ShowsWhatChangedMeanwhile_ABidAndAClose()
    {
        var bidOn = await system.CreateListingAsync(make: "Mazda");
        var closed = await system.CreateListingAsync(make: "Mazda");
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));
        await BrowserSystemFixture.ShowsAsync(page, page.Locator($"tr[data-listing-id='{closed.ListingId}']"));

        await system.System.KillAsync("gateway");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=reconnecting]"));
        // Straight to the Auction, as the gateway would forward them: the page is away meanwhile.
        var auction = new AuctionService.AuctionServiceClient(system.System.ServiceChannel("auction"));
        var bid = await auction.PlaceBidAsync(new PlaceBidRequest { ListingId = bidOn.ListingId, BidId = system.NextRequestId(), AmountCents = 10_000_00 },
            system.System.Tokens.Forwarded("B-AWAY", RoleNames.Buyer));
        await auction.CloseListingAsync(new CloseListingRequest { RequestId = system.NextRequestId(), ListingId = closed.ListingId, Reason = "withdrawn while the page was away", Withdraw = true },
            system.System.Tokens.Forwarded("RC-1", RoleNames.Remarketing));
        await system.System.StartAgainAsync("gateway");

        await BrowserSystemFixture.ShowsAsync(page, page.Locator($"tr[data-listing-id='{bidOn.ListingId}'][data-price-cents='{bid.CurrentPriceCents}']"));
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));
        await page.GetByLabel("State").SelectOptionAsync("closed");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator($"tr[data-listing-id='{closed.ListingId}'][data-state=withdrawn]"));
    }

    [Fact]
    public async Task ARefusedToken_SignsThePageOut_SayingWhy_WithTheFormToSignInAgain()
    {
        var page = await system.OpenAsync("/center", RoleNames.Remarketing, "RC-1");
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));

        // The same claims, a signature the gateway does not know: as a retired key's token would be.
        await page.EvaluateAsync("""
            () => {
              const token = sessionStorage.getItem('remarketing.token');
              const [header, payload] = token.split('.');
              sessionStorage.setItem('remarketing.token', `${header}.${payload}.AAAA`);
            }
            """);
        await page.ReloadAsync();
        var why = page.Locator(".signin [role=alert]").First;
        await BrowserSystemFixture.ShowsAsync(page, why);

        Assert.StartsWith("Your sign-in has expired or was refused", await why.InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Your id").FillAsync("RC-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserSystemFixture.ShowsAsync(page, page.Locator("[data-stream=live]"));
    }
}
