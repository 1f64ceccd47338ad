namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class DealerPurchaseHoldTests(RedisConnectionFixture redis)
{
    private static readonly TimeSpan Hold = TimeSpan.FromHours(72);

    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private async Task<ReturnCase> HeldAsync(ReturnDisposition disposition = ReturnDisposition.DealerPurchaseForInventory)
    {
        var terms = await _lease.OpenNewAsync();
        return await _lease.NotifyAsync(terms, _lease.Today, 25_000, disposition);
    }

    private Task<ReturnCase> CompleteAsync(ReturnCase held, string proof = "") =>
        _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer, new CompleteDealerPurchaseRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = held.CaseId, ProofOfResaleId = proof });

    private async Task<ReturnCase> CaseAsync(ReturnCase returnCase) => await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returnCase.CaseId);

    [Fact]
    public async Task DealerPurchase_HoldsRemarketingFor72HoursOnTheClock()
    {
        var held = await HeldAsync();

        Assert.Equal(ReturnCaseState.HeldForDealerPurchase, held.State);
        Assert.Equal(TestLeaseEnd.Start + Hold, held.HoldUntil.ToDateTimeOffset());
        Assert.Empty(await _lease.QueuedForRemarketingAsync(held.CaseId));
    }

    [Fact]
    public async Task DealerPurchase_CompletedJustBefore72Hours_EndsTheCaseAsPurchased()
    {
        var held = await HeldAsync();
        _lease.Clock.Advance(Hold - TimeSpan.FromTicks(1));

        var purchased = await CompleteAsync(held);
        await _lease.Jobs.LapseEndedHoldsAsync();

        Assert.Equal(ReturnCaseState.Purchased, purchased.State);
        Assert.Equal(ReturnCaseState.Purchased, (await CaseAsync(held)).State);
        Assert.Equal(AccountState.Closed, (await _lease.AccountAsync(held.AccountId)).State);
        Assert.Empty(await _lease.QueuedForRemarketingAsync(held.CaseId));
    }

    [Fact]
    public async Task DealerPurchase_HoldEndsAtExactly72Hours_ThenTheCaseGoesToRemarketing()
    {
        var held = await HeldAsync();
        _lease.Clock.Advance(Hold - TimeSpan.FromTicks(1));
        await _lease.Jobs.LapseEndedHoldsAsync();
        Assert.Equal(ReturnCaseState.HeldForDealerPurchase, (await CaseAsync(held)).State);

        _lease.Clock.Advance(TimeSpan.FromTicks(1));
        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => CompleteAsync(held));
        await _lease.Jobs.LapseEndedHoldsAsync();
        await _lease.Jobs.LapseEndedHoldsAsync();

        Assert.Contains("72-hour hold", refusal.Message);
        Assert.Equal(ReturnCaseState.InRemarketing, (await CaseAsync(held)).State);
        var queued = Assert.Single(await _lease.QueuedForRemarketingAsync(held.CaseId));
        Assert.Equal("dealer_purchase_hold_lapsed", queued.Reason);
    }

    [Fact]
    public async Task DealerPurchaseForLessee_CompletesOnlyWithProofOfResale()
    {
        var held = await HeldAsync(ReturnDisposition.DealerPurchaseForLessee);

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => CompleteAsync(held));
        var purchased = await CompleteAsync(held, proof: "BOS-77");

        Assert.Contains("proof of resale", refusal.Message);
        Assert.Equal(("BOS-77", ReturnCaseState.Purchased), (purchased.ProofOfResaleId, purchased.State));
    }

    [Fact]
    public async Task DealerPurchase_CompletedByAnotherDealer_IsRefused_AsIfTheCaseDidNotExist()
    {
        var held = await HeldAsync();

        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.OtherDealer,
            new CompleteDealerPurchaseRequest { RequestId = "r", CaseId = held.CaseId }));

        Assert.Equal(ReturnCaseState.HeldForDealerPurchase, (await CaseAsync(held)).State);
    }

    [Fact]
    public async Task DealerPurchase_OnALesseeReturn_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => CompleteAsync(returned));
    }

    [Fact]
    public async Task Settlement_OfAHeldCase_IsRefused_UntilThePurchaseCompletes_ThenItIsFinal()
    {
        var held = await HeldAsync();

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.GetSettlementAsync(held.CaseId));
        await CompleteAsync(held);

        Assert.True((await _lease.Desk.GetSettlementAsync(held.CaseId)).Final);
    }
}
