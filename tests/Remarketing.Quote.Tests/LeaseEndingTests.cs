namespace Remarketing.Quote.Tests;

/// <summary>A lease that ends with no vehicle to remarket: the lessee buys it, or it is a total loss.</summary>
[Collection(RedisCollection.Name)]
public sealed class LeaseEndingTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private static IEnumerable<(string, long)> Lines(IEnumerable<Contracts.Common.V1.LineItem> lines) => lines.Select(line => (line.Code, line.AmountCents));

    /// <summary>The lease of the worked examples, with every charge set, and 2,000 purchased miles it never used.</summary>
    private static LeaseTerms WithUnusedMiles(LeaseTerms terms) =>
        TestLeaseEnd.WithCharges(terms) with { PurchasedAdditionalMiles = 2_000, PurchasedMilePriceCents = 15 };

    private CompleteLesseeBuyoutRequest Buyout(LeaseTerms terms, long received, bool applyDeposit, DateOnly? purchaseDate = null) => new()
    {
        RequestId = TestLeaseEnd.NewRequestId(),
        AccountId = terms.AccountId,
        PurchaseDate = ProtoViews.ToProto(purchaseDate ?? _lease.Today),
        ApplySecurityDeposit = applyDeposit,
        PaymentReceivedCents = received,
    };

    private RecordTotalLossRequest TotalLoss(LeaseTerms terms, long insurerPays, DateOnly? lossDate = null, string claimId = "CLM-4471", string? accountId = null) => new()
    {
        RequestId = TestLeaseEnd.NewRequestId(),
        AccountId = accountId ?? terms.AccountId,
        LossDate = ProtoViews.ToProto(lossDate ?? _lease.Today),
        InsuranceClaimId = claimId,
        InsurerPaymentCents = insurerPays,
    };

    /// <summary>The worked example in docs/quote.md ("Lessee buyout").</summary>
    [Theory]
    // $18,000.00 + $300.00 fee + 6.25% on $18,300.00 ($1,143.75) + $120.00 past due + $80.15 property tax = $19,643.90; the $500.00 deposit refunded.
    [InlineData(false, 19_643_90, -500_00)]
    // The lessee chose to apply the deposit: $19,143.90 received, nothing refunded.
    [InlineData(true, 19_143_90, 0)]
    public async Task CompleteLesseeBuyout_WithThePayoffReceived_ClosesTheAccount_ReleasesTheTitle_SendsTheLetter_NoUnusedMileRefund(bool applyDeposit, long payoff, long balance)
    {
        var terms = await _lease.OpenNewAsync(WithUnusedMiles(TestLeaseEnd.MaturingToday()));
        var quote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout, ApplySecurityDeposit = applyDeposit });

        var account = await _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(terms, payoff, applyDeposit));
        var letter = Assert.Single((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters, letter => letter.Kind == LetterKind.Settlement);

        Assert.Equal(payoff, quote.TotalCents);
        Assert.Equal(AccountState.Closed, account.State);
        var ending = account.Ending;
        Assert.Equal((LeaseEndingKind.LesseeBuyout, balance), (ending.Kind, ending.BalanceCents));
        Assert.Equal(TestLeaseEnd.Start, ending.TitleReleasedAt.ToDateTimeOffset());
        Assert.Equal(Lines(quote.LineItems), Lines(ending.LineItems.Take(quote.LineItems.Count)));
        Assert.Equal(
            applyDeposit ? [("lessee_buyout_payment", -payoff), ("title_released", 0)] : [("lessee_buyout_payment", -payoff), ("title_released", 0), ("security_deposit", -500_00)],
            Lines(ending.LineItems.Skip(quote.LineItems.Count)));
        Assert.DoesNotContain(ending.LineItems, line => line.Code == "unused_purchased_miles");
        Assert.Equal(Lines(ending.LineItems), Lines(letter.LineItems));
        Assert.Equal(balance, letter.TotalCents);
    }

    [Fact]
    public async Task CompleteLesseeBuyout_WithoutThePayoffInFull_IsRefusedNamingTheFigure_AndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync(WithUnusedMiles(TestLeaseEnd.MaturingToday()));

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(terms, 19_000_00, applyDeposit: false)));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(terms, 0, applyDeposit: false)));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center,
            Buyout(terms, 19_643_90, applyDeposit: false, purchaseDate: _lease.Today.AddDays(1))));

        Assert.Equal($"the lessee buyout of lease account {terms.AccountId} as of 2026-11-24 is $19,643.90 (security deposit not applied); $19,000.00 was received: " +
            "record the buyout once the payoff is received in full (GetQuote LESSEE_BUYOUT shows each line)", refusal.Message);
        var account = await _lease.AccountAsync(terms.AccountId);
        Assert.Equal((AccountState.Active, null), (account.State, account.Ending));
        Assert.DoesNotContain((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters, letter => letter.Kind == LetterKind.Settlement);
    }

    [Fact]
    public async Task CompleteLesseeBuyout_OfAReturnedVehicle_IsRefusedNamingTheCase_AndAfterABuyoutNoReturnIsTaken()
    {
        var returned = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        var returnCase = await _lease.NotifyAsync(returned, _lease.Today, 30_000);
        var bought = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(bought, 18_000_00, applyDeposit: false));

        var ofTheReturned = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(returned, 18_000_00, applyDeposit: false)));
        var returnAfter = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.NotifyAsync(bought, _lease.Today, 30_000));
        var again = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(bought, 18_000_00, applyDeposit: false)));

        Assert.StartsWith($"the vehicle of lease account {returned.AccountId} was returned on 2026-11-24 (case {returnCase.CaseId}, InRemarketing): " +
            "a lessee buying a returned vehicle does so through the dealer", ofTheReturned.Message, StringComparison.Ordinal);
        Assert.Equal($"lease account {bought.AccountId} is closed: the lessee bought the vehicle on 2026-11-24: its lease has already ended", returnAfter.Message);
        Assert.StartsWith($"lease account {bought.AccountId} is closed: the lessee bought the vehicle on 2026-11-24", again.Message, StringComparison.Ordinal);
    }

    /// <summary>The worked example in docs/quote.md ("Total loss").</summary>
    [Fact]
    public async Task RecordTotalLoss_TheInsurersPaymentSettlesTheAccount_NoUnusedMileRefund_NoRemarketing()
    {
        var terms = await _lease.OpenNewAsync(WithUnusedMiles(TestLeaseEnd.Terms()));

        var account = await _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 21_000_00));
        var letter = Assert.Single((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters, letter => letter.Kind == LetterKind.Settlement);
        var returnAfter = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.NotifyAsync(terms, _lease.Today, 30_000));

        // The balance after the 24th payment and 9 days' rent ($22,118.98, as in the payoff example, with no fee),
        // $200.15 the lessee owed, less the insurer's $21,000.00 and the $500.00 deposit: the lessee still owes $819.13.
        Assert.Equal(
            [("remaining_payments", 5_040_00), ("unearned_rent_charges", -945_08), ("residual_value", 18_000_00), ("rent_charge_accrued", 24_06),
             ("past_due", 120_00), ("personal_property_tax", 80_15), ("insurer_payment", -21_000_00), ("security_deposit", -500_00)],
            Lines(account.Ending.LineItems));
        Assert.Equal((LeaseEndingKind.TotalLoss, 819_13, "CLM-4471"), (account.Ending.Kind, account.Ending.BalanceCents, account.Ending.InsuranceClaimId));
        Assert.Equal(AccountState.Closed, account.State);
        Assert.Equal(819_13, letter.TotalCents);
        Assert.Equal($"lease account {terms.AccountId} is closed: the vehicle was a total loss on 2026-11-24 (claim CLM-4471): its lease has already ended", returnAfter.Message);
        Assert.Empty((await _lease.ReadAsync(terms)).Cases);
    }

    [Fact]
    public async Task RecordTotalLoss_AfterMaturity_OwesTheResidual_AndRefundsNoPurchasedMiles()
    {
        var terms = await _lease.OpenNewAsync(WithUnusedMiles(TestLeaseEnd.MaturingToday()));

        var account = await _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 19_000_00));

        Assert.Equal([("residual_value", 18_000_00), ("past_due", 120_00), ("personal_property_tax", 80_15), ("insurer_payment", -19_000_00), ("security_deposit", -500_00)],
            Lines(account.Ending.LineItems));
        Assert.Equal(-1_299_85, account.Ending.BalanceCents);
    }

    [Fact]
    public async Task RecordTotalLoss_WithBadInput_OrOfAReturnedVehicle_IsRefusedAndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.OpenNewAsync();
        var returnCase = await _lease.NotifyAsync(returned, _lease.Today, 20_000);

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 0)));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 1_000_00, claimId: " ")));
        var undated = TotalLoss(terms, 1_000_00);
        undated.LossDate = null;
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, undated));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 1_000_00, _lease.Today.AddDays(1))));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 1_000_00, terms.StartDate.AddDays(-1))));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(terms, 1_000_00, accountId: "A-NOPE")));
        var ofTheReturned = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.RecordTotalLossAsync(TestLeaseEnd.Center, TotalLoss(returned, 1_000_00)));

        Assert.Contains($"(case {returnCase.CaseId}, InRemarketing): the case settles it", ofTheReturned.Message);
        Assert.Equal(AccountState.Active, (await _lease.AccountAsync(terms.AccountId)).State);
        Assert.Equal(AccountState.InTermination, (await _lease.AccountAsync(returned.AccountId)).State);
    }

    [Fact]
    public async Task ALeaseEnding_IsNotInTheDealersView()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await _lease.Desk.CompleteLesseeBuyoutAsync(TestLeaseEnd.Center, Buyout(terms, 18_000_00, applyDeposit: false));

        var asTheCenterSeesIt = await _lease.AccountAsync(terms.AccountId);
        var asADealerSeesIt = await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin });

        Assert.Equal(LeaseEndingKind.LesseeBuyout, asTheCenterSeesIt.Ending.Kind);
        Assert.Equal((true, null, 0L), (asADealerSeesIt.DealerView, asADealerSeesIt.Ending, asADealerSeesIt.Terms.PurchaseOptionPriceCents));
    }
}
