using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Web.Tests;

/// <summary>
/// The remarketing center's queue and a vehicle's journey in a real browser: a refused inspection
/// result corrected and replayed from the queue, and a settled vehicle's every step.
/// </summary>
[Trait("Category", "System")]
[Collection(BrowserCollection.Name)]
public sealed class CenterQueueAndJourneyTests(BrowserSystemFixture system) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => system.CloseOpenedAsync();

    private const string DealerId = "D-WEB-GROUND";
    private static readonly LocatorWaitForOptions PageLoad = new() { Timeout = 60_000 };

    [Fact]
    public async Task AFailedHandOff_IsCorrectedAndReplayedFromTheQueue_WithAConfirmation()
    {
        var returned = await ReturnAsync(odometer: 30_000);
        // 5,000 mi below the signed statement: Quote refuses the result every time it is sent.
        await system.Steps.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(25_000));
        await Waiting.EventuallyAsync("the disputed inspection in the center's queue", async () =>
            (await system.Steps.CentersQueueAsync()).Any(order => order.CaseId == returned.CaseId && order.DisputedHandOffEntryId.Length > 0));

        var page = await system.OpenAsync("/center/queue", RoleNames.Remarketing, "RC-1");
        var row = page.Locator($"tr[data-case-id='{returned.CaseId}'][data-order-id]").First;
        await BrowserSystemFixture.ShowsAsync(page, row);
        await row.GetByLabel("Corrected odometer").FillAsync("25000");
        await row.GetByRole(AriaRole.Button, new() { Name = "Correct the odometer and replay" }).ClickAsync();
        var question = await page.Locator(".confirm").InnerTextAsync();
        var notYet = await system.Steps.StatusAsync(returned.CaseId);
        await page.Locator("[data-confirm]").ClickAsync();
        await page.Locator("[data-action-outcome=done]").WaitForAsync();
        await system.Steps.ReachedAsync(returned.CaseId, CaseStep.Inspected);

        Assert.Contains($"Correct case {returned.CaseId}'s odometer statement to 25,000 mi", question, StringComparison.Ordinal);
        Assert.DoesNotContain(notYet.Events, step => step.Step == CaseStep.Inspected);
        Assert.Equal(25_000, (await system.Steps.Quote.GetReturnCaseAsync(new() { CaseId = returned.CaseId }, system.Steps.Center)).Odometer.OdometerMiles);
    }

    [Fact]
    public async Task TheJourneyOfASettledVehicle_ShowsEveryStep_ItsBids_TheSettlementAndTheLetters()
    {
        var returned = await ReturnAsync(odometer: 30_000);
        await system.Steps.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        var listed = await system.Steps.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var listing = await system.Auction.GetListingAsync(new GetListingRequest { ListingId = listed.Reference }, system.Steps.Center);
        var bid = await system.BidAsync(listed.Reference, "B-WEB-EARLIER", listing.MinimumNextBidCents);
        var bought = await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = system.NextRequestId(), ListingId = listed.Reference }, system.Buyer("B-WEB-JOURNEY"));
        var pickup = await system.Steps.PickupAsync(returned.CaseId);
        await system.Steps.ReachedAsync(returned.CaseId, CaseStep.Settled);
        await system.Steps.Transport.ReleaseVehicleAsync(new ReleaseVehicleRequest { RequestId = system.NextRequestId(), OrderId = pickup.OrderId, DocumentId = bought.ProofOfSaleId },
            system.Steps.As(DealerId, RoleNames.GroundingDealer));
        await system.Steps.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = system.NextRequestId(), OrderId = pickup.OrderId }, system.Buyer("B-WEB-JOURNEY"));
        await system.Steps.ReachedAsync(returned.CaseId, CaseStep.Delivered);

        var page = await system.OpenAsync($"/center/journey?case={returned.CaseId}", RoleNames.Remarketing, "RC-1");
        await page.Locator($"[data-case-id='{returned.CaseId}']").WaitForAsync(PageLoad);
        await page.Locator("[data-settlement-final]").WaitForAsync();
        var steps = await page.Locator("li[data-step]").EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.step)");
        var letters = await page.Locator("li[data-letter]").EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.letter)");

        Assert.Subset(steps.ToHashSet(),
            new[] { CaseStep.ReturnNotified, CaseStep.SentToRemarketing, CaseStep.InspectionScheduled, CaseStep.InspectionAccepted, CaseStep.Inspected, CaseStep.Listed,
                CaseStep.Sold, CaseStep.PickupOrdered, CaseStep.Released, CaseStep.Delivered, CaseStep.Settled }.Select(step => step.ToString()).ToHashSet());
        Assert.Equal("true", await page.Locator("[data-settlement-final]").GetAttributeAsync("data-settlement-final"));
        Assert.Contains(LetterKind.Settlement.ToString(), letters);
        Assert.Contains("sold at", await page.Locator("li[data-step=Listed]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal([bid.CurrentPriceCents.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            await page.Locator(".journey-bids li").EvaluateAllAsync<string[]>("items => items.map(item => item.dataset.priceCents)"));
    }

    /// <summary>A lease that matured three days ago, returned today at <see cref="DealerId"/>'s lot.</summary>
    private async Task<ReturnCase> ReturnAsync(long odometer)
    {
        var today = await system.Steps.TodayAsync();
        var terms = SampleLease.Terms(today.AddMonths(-36).AddDays(-3));
        await SampleLease.OpenAsync(system.Steps.Quote, terms, system.Steps.Center, DealerId);
        return await system.Steps.Quote.NotifyReturnAsync(new NotifyReturnRequest
        {
            RequestId = system.NextRequestId(),
            AccountId = terms.AccountId,
            Vin = terms.Vehicle.Vin,
            ReturnDate = SampleLease.ToDate(today),
            OdometerMiles = odometer,
            OdometerSignedByLessee = true,
            ReturnedItems = new ReturnedItems { Keys = 2, OwnersManual = true },
            DealerState = "OH",
            Disposition = ReturnDisposition.LesseeReturn,
        }, system.Steps.As(DealerId, RoleNames.GroundingDealer));
    }
}
