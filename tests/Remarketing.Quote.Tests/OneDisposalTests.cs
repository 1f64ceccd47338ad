namespace Remarketing.Quote.Tests;

/// <summary>
/// DESIGN 3, "one vehicle, one disposal": bought by the dealer, sold on SmartAuction or sold at the
/// physical auction, never two. Quote decides: the Auction asks it before a listing opens
/// (OpenListing), and a sale elsewhere waits until the listing has ended unsold.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OneDisposalTests(RedisConnectionFixture redis)
{
    private static readonly Caller Auction = new("auction", RoleNames.Service);
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private static OpenListingRequest Open(string caseId, string listingId, string vin = "") =>
        new() { RequestId = $"auction/listing/{listingId}/open", CaseId = caseId, ListingId = listingId, Vin = vin };

    private static RecordAuctionResultRequest Result(string caseId, string listingId, long salePriceCents) => new()
    {
        RequestId = TestLeaseEnd.NewRequestId(), CaseId = caseId, ListingId = listingId, Sold = salePriceCents > 0, SalePriceCents = salePriceCents,
    };

    private async Task<(LeaseTerms Terms, ReturnCase Case)> InspectedAsync()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);
        await _lease.InspectAsync(returned.CaseId, 25_000);
        return (terms, returned);
    }

    [Fact]
    public async Task APhysicalSale_WhileTheCarIsOnALiveListing_IsRefusedNamingTheListing_AndChangesNothing()
    {
        var (_, returned) = await InspectedAsync();
        await _lease.Desk.OpenListingAsync(Auction, Open(returned.CaseId, "L-LIVE"));
        var before = await _lease.Desk.GetCaseStatusAsync(returned.CaseId);

        var refused = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.Center, Result(returned.CaseId, "PHYSICAL-LOT-1", 12_000_00)));

        Assert.Equal(
            $"case {returned.CaseId} is on SmartAuction listing L-LIVE, opened 2026-11-24: a sale elsewhere is recorded only once that listing has ended unsold " +
            "(its result comes from the Auction service); close or withdraw it first",
            refused.Message);
        Assert.Equal(before, await _lease.Desk.GetCaseStatusAsync(returned.CaseId));
    }

    [Fact]
    public async Task OnceTheListingHasEndedUnsold_ThePhysicalSaleIsRecorded_AndASecondSaleIsRefusedAsAlreadySettled()
    {
        var (_, returned) = await InspectedAsync();
        await _lease.Desk.OpenListingAsync(Auction, Open(returned.CaseId, "L-UNSOLD"));
        await _lease.Desk.RecordAuctionResultAsync(Auction, Result(returned.CaseId, "L-UNSOLD", 0));

        var sold = await _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.Center, Result(returned.CaseId, "PHYSICAL-LOT-2", 12_000_00));
        var again = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.Center, Result(returned.CaseId, "PHYSICAL-LOT-3", 13_000_00)));

        Assert.Equal(ReturnCaseState.Settled, sold.State);
        Assert.Equal($"case {returned.CaseId} already settled by its sale for $12,000.00 (PHYSICAL-LOT-2) on 2026-11-24", again.Message);
    }

    [Fact]
    public async Task AListing_ForACaseNotInspected_BoughtByTheDealer_Sold_OrOnAnotherListing_IsRefused_InQuotesWords()
    {
        var notInspected = await _lease.NotifyAsync(await _lease.OpenNewAsync(), _lease.Today, 25_000);
        var (_, onAnother) = await InspectedAsync();
        await _lease.Desk.OpenListingAsync(Auction, Open(onAnother.CaseId, "L-FIRST"));
        var repeat = await _lease.Desk.OpenListingAsync(Auction, Open(onAnother.CaseId, "L-FIRST"));
        var (_, sold) = await InspectedAsync();
        await _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.Center, Result(sold.CaseId, "PHYSICAL-LOT-4", 11_000_00));
        var purchasedTerms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        var purchased = await _lease.NotifyAsync(purchasedTerms, _lease.Today, purchasedTerms.StartingOdometerMiles + 30_000, ReturnDisposition.DealerPurchaseForInventory);
        await _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer, new CompleteDealerPurchaseRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = purchased.CaseId });

        var refusals = new List<string>();
        foreach (var (caseId, listingId) in new[] { (notInspected.CaseId, "L-A"), (onAnother.CaseId, "L-B"), (sold.CaseId, "L-C"), (purchased.CaseId, "L-D") })
            refusals.Add((await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.OpenListingAsync(Auction, Open(caseId, listingId)))).Message);

        Assert.Equal(ReturnCaseState.Inspected, repeat.State);
        Assert.StartsWith($"case {notInspected.CaseId} has no inspection Quote has taken", refusals[0], StringComparison.Ordinal);
        Assert.Equal($"case {onAnother.CaseId} already went on SmartAuction listing L-FIRST, opened 2026-11-24: a vehicle goes on one listing", refusals[1]);
        Assert.Equal($"case {sold.CaseId} already settled by its sale for $11,000.00 (PHYSICAL-LOT-4) on 2026-11-24", refusals[2]);
        Assert.Equal($"case {purchased.CaseId} was already bought by the dealer on 2026-11-24", refusals[3]);
    }

    [Fact]
    public async Task AListing_OfAnotherVehicle_IsRefused()
    {
        var (terms, returned) = await InspectedAsync();

        var refused = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.OpenListingAsync(Auction, Open(returned.CaseId, "L-X", "1HGCV1F30PA999999")));

        Assert.Equal($"return case {returned.CaseId} is VIN {terms.Vin}, not 1HGCV1F30PA999999: a listing names the case's own vehicle", refused.Message);
    }

    [Fact]
    public async Task OpenListing_WithoutAListingId_OrForAnUnknownCase_IsRefused_AndChangesNothing()
    {
        var (_, returned) = await InspectedAsync();

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.OpenListingAsync(Auction, Open(returned.CaseId, " ")));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.OpenListingAsync(Auction, Open("A-NEVER-R1", "L-X")));
        var stillFree = await _lease.Desk.OpenListingAsync(Auction, Open(returned.CaseId, "L-FIRST-REAL"));

        Assert.Equal(ReturnCaseState.Inspected, stillFree.State);
    }
}
