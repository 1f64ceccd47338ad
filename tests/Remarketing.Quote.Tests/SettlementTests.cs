using Google.Protobuf.WellKnownTypes;

namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class SettlementTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    /// <summary>The letters about money (the lessee's copy of its odometer statement, sent at every return, left out).</summary>
    private async Task<IReadOnlyList<Letter>> LettersAsync(LeaseTerms terms) =>
        [.. (await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters.Where(letter => letter.Kind != LetterKind.OdometerStatement)];

    private static IEnumerable<(string, long)> Lines(IEnumerable<Contracts.Common.V1.LineItem> lines) => lines.Select(line => (line.Code, line.AmountCents));

    [Fact]
    public async Task Settlement_AtNormalMaturity_ChargesMileageWearAndAmountsDue_AndAppliesTheDepositOnceSold()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.MaturingToday()) with { PurchasedAdditionalMiles = 1_000, PurchasedMilePriceCents = 15 });
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 38_000);
        await _lease.InspectAsync(returned.CaseId, 38_000, ("front bumper", 250_00), ("tire tread below 4/32", 180_00));

        var beforeSale = await _lease.Desk.GetSettlementAsync(returned.CaseId);
        var settled = await _lease.SellAsync(returned.CaseId, 19_500_00);
        var final = await _lease.Desk.GetSettlementAsync(returned.CaseId);

        // 38,000 driven on 36,000 allowed + 1,000 purchased: 1,000 over at $0.20. Tax 6.25% of $630.00.
        Assert.False(beforeSale.Final);
        Assert.DoesNotContain(beforeSale.LineItems, line => line.Code == "security_deposit");
        Assert.Equal(
            [
                ("disposition_fee", 395_00), ("excess_mileage", 200_00), ("excess_wear", 250_00), ("excess_wear", 180_00),
                ("past_due", 120_00), ("personal_property_tax", 80_15), ("sales_tax", 39_38), ("security_deposit", -500_00),
            ],
            Lines(final.LineItems));
        Assert.Equal((true, 764_53L, TerminationType.NormalMaturity), (final.Final, final.BalanceCents, final.TerminationType));
        Assert.Equal(ReturnCaseState.Settled, settled.State);
        Assert.Equal(AccountState.Closed, (await _lease.AccountAsync(terms.AccountId)).State);
    }

    [Fact]
    public async Task Settlement_AtNormalMaturity_RefundsUnusedPurchasedMiles()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday() with { PurchasedAdditionalMiles = 5_000, PurchasedMilePriceCents = 15, SecurityDepositCents = 500_00 });
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 33_000);
        await _lease.InspectAsync(returned.CaseId, 33_000);
        await _lease.SellAsync(returned.CaseId, 19_500_00);

        var settlement = await _lease.Desk.GetSettlementAsync(returned.CaseId);

        Assert.Equal([("unused_purchased_miles", -750_00), ("security_deposit", -500_00)], Lines(settlement.LineItems));
        Assert.Equal(-1_250_00, settlement.BalanceCents);
    }

    [Fact]
    public async Task Settlement_OnEarlyTermination_UsesTheSalePriceAsRealizedValue_AndNeverRefundsPurchasedMiles()
    {
        // No rent charge: after 24 of 36 payments the payoff is 12 x $500.00 + $10,000.00 = $16,000.00.
        var terms = TestLeaseEnd.Terms() with
        {
            MonthlyPaymentCents = 500_00,
            PurchaseOptionPriceCents = 10_000_00,
            AdjustedCapitalizedCostCents = 28_000_00,
            PurchasedAdditionalMiles = 5_000,
            PurchasedMilePriceCents = 15,
        };
        await _lease.OpenAsync(terms);
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 20_000);
        await _lease.InspectAsync(returned.CaseId, 20_000);

        var estimated = await _lease.Desk.GetSettlementAsync(returned.CaseId);
        await _lease.SellAsync(returned.CaseId, 14_000_00);
        var final = await _lease.Desk.GetSettlementAsync(returned.CaseId);

        Assert.True(estimated.LineItems.Single(line => line.Code == "realized_value").Estimated);
        Assert.Equal((16_000_00L, 2_000_00L, 2_000_00L, true), (final.EarlyTerminationPayoffCents, final.EarlyTerminationChargeCents, final.BalanceCents, final.Final));
        Assert.DoesNotContain(final.LineItems, line => line.Code == "unused_purchased_miles");
    }

    [Fact]
    public async Task Letters_EarlyTermination_PreSaleAfterInspection_SettlementOnlyAfterTheSale()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms(months: 24, start: new DateOnly(2025, 8, 10))));
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 30_000);
        Assert.Empty(await LettersAsync(terms));

        _lease.Clock.Advance(TimeSpan.FromDays(3));
        await _lease.InspectAsync(returned.CaseId, 30_000, ("windshield chip", 100_00));
        var afterInspection = await LettersAsync(terms);
        await _lease.SellAsync(returned.CaseId, 0);
        var afterNoSale = await LettersAsync(terms);
        _lease.Clock.Advance(TimeSpan.FromDays(7));
        await _lease.SellAsync(returned.CaseId, 15_000_00);
        var afterSale = await LettersAsync(terms);

        var preSale = Assert.Single(afterInspection);
        Assert.Equal(LetterKind.EarlyTerminationPreSale, preSale.Kind);
        Assert.Equal(TestLeaseEnd.Start.AddDays(3), preSale.Dated.ToDateTimeOffset());
        // An early termination after 15 of 24 months (2025-08-10 to 2026-11-24): 15,000 mi allowed;
        // (30,000 - 15,000) x $0.20 = $3,000.00; wear $100.00; tax 6.25% of $3,100.00 = $193.75.
        Assert.Equal(
            [("excess_mileage", 3_000_00), ("excess_wear", 100_00), ("past_due", 120_00), ("personal_property_tax", 80_15), ("sales_tax", 193_75)],
            Lines(preSale.LineItems));
        Assert.Equal(3_493_90, preSale.TotalCents);
        Assert.Single(afterNoSale);
        Assert.Equal([LetterKind.EarlyTerminationPreSale, LetterKind.Settlement], afterSale.Select(letter => letter.Kind));
        var settlement = afterSale[1];
        Assert.Equal((await _lease.Desk.GetSettlementAsync(returned.CaseId)).BalanceCents, settlement.TotalCents);
        Assert.Equal(TestLeaseEnd.Start.AddDays(10), settlement.Dated.ToDateTimeOffset());
    }

    [Theory]
    // The lessee buys through the dealer and chose to apply the $500.00 deposit: the dealer pays that much less, nothing is refunded.
    [InlineData(ReturnDisposition.DealerPurchaseForLessee, true, 22_619_13 - 500_00, 0)]
    // The lessee buys through the dealer and does not apply it: refunded in full (the price covered everything owed).
    [InlineData(ReturnDisposition.DealerPurchaseForLessee, false, 22_619_13, -500_00)]
    public async Task DealerPurchase_SecurityDepositReducesPurchasePriceOrIsRefunded(ReturnDisposition disposition, bool applyDeposit, long dealerPays, long balance)
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()));
        var kind = disposition == ReturnDisposition.DealerPurchaseForLessee ? QuoteKind.DealerPurchaseForLessee : QuoteKind.DealerPurchaseForInventory;
        var quote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind });
        var held = await _lease.NotifyAsync(terms, _lease.Today, 25_000, disposition);
        _lease.Clock.Advance(TimeSpan.FromHours(5));

        var purchased = await _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer, new CompleteDealerPurchaseRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(),
            CaseId = held.CaseId,
            ProofOfResaleId = disposition == ReturnDisposition.DealerPurchaseForLessee ? "BOS-77" : "",
            ApplySecurityDeposit = applyDeposit,
        });
        var settlement = await _lease.Desk.GetSettlementAsync(held.CaseId);
        var letter = Assert.Single(await LettersAsync(terms));

        Assert.Equal(22_619_13, quote.TotalCents);
        Assert.Equal(ReturnCaseState.Purchased, purchased.State);
        Assert.Equal(AccountState.Closed, (await _lease.AccountAsync(terms.AccountId)).State);
        Assert.Equal((true, balance), (settlement.Final, settlement.BalanceCents));
        Assert.Equal(settlement.LineItems.Sum(line => line.AmountCents), settlement.BalanceCents);
        // The price is the Dealer Purchase quote, line for line; then what the dealer paid, and the deposit.
        Assert.Equal(Lines(quote.LineItems), Lines(settlement.LineItems.Take(quote.LineItems.Count)));
        Assert.Equal(-dealerPays, settlement.LineItems.Single(line => line.Code == "dealer_purchase_payment").AmountCents);
        var deposit = settlement.LineItems.Single(line => line.Code == "security_deposit");
        Assert.Equal(-500_00, deposit.AmountCents);
        Assert.Contains(applyDeposit ? "applied to the purchase option price" : "refunded", deposit.Description);
        Assert.Equal((LetterKind.Settlement, settlement.BalanceCents, TestLeaseEnd.Start.AddHours(5)), (letter.Kind, letter.TotalCents, letter.Dated.ToDateTimeOffset()));
        Assert.Equal(Lines(settlement.LineItems), Lines(letter.LineItems));
    }

    /// <summary>The worked example in docs/quote.md ("Dealer Purchase for Inventory").</summary>
    [Theory]
    // $120.00 past due + $80.15 property tax = $200.15, less the $500.00 deposit: $299.85 refunded.
    [InlineData(120_00, -299_85)]
    // $620.00 past due + $80.15 = $700.15, less $500.00: the lessee still owes $200.15.
    [InlineData(620_00, 200_15)]
    public async Task DealerPurchaseForInventory_DealerPaysThePriceAndFee_TheLesseesOwnAmountsStayOnItsSettlementLessTheDeposit(long pastDue, long balance)
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()) with { PastDueCents = pastDue });
        var quote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.DealerPurchaseForInventory });
        var dealersQuote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer, new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.DealerPurchaseForInventory, Vin = terms.Vin });
        var held = await _lease.NotifyAsync(terms, _lease.Today, 25_000, ReturnDisposition.DealerPurchaseForInventory);
        _lease.Clock.Advance(TimeSpan.FromHours(5));

        await _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer, new CompleteDealerPurchaseRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = held.CaseId });
        var settlement = await _lease.Desk.GetSettlementAsync(held.CaseId);
        var letter = Assert.Single(await LettersAsync(terms), letter => letter.Kind == LetterKind.Settlement);

        // The payoff as of 2026-11-24 ($22,118.98, the worked ET example) and the $300.00 fee: nothing of the lessee's.
        (string, long)[] price = [("remaining_payments", 5_040_00), ("unearned_rent_charges", -945_08), ("residual_value", 18_000_00), ("rent_charge_accrued", 24_06), ("purchase_option_fee", 300_00)];
        Assert.Equal(price, Lines(quote.LineItems));
        Assert.Equal((22_418_98, 22_418_98), (quote.TotalCents, dealersQuote.TotalCents));
        Assert.Equal(
            [.. price, ("dealer_purchase_payment", -22_418_98), ("past_due", pastDue), ("personal_property_tax", 80_15), ("security_deposit", -500_00)],
            Lines(settlement.LineItems));
        Assert.Equal((true, balance), (settlement.Final, settlement.BalanceCents));
        Assert.Equal(balance, letter.TotalCents);
        Assert.Equal(Lines(settlement.LineItems), Lines(letter.LineItems));
    }

    [Fact]
    public async Task DealerPurchaseForInventory_WithTheDepositAppliedToThePrice_IsRefusedAndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()));
        var held = await _lease.NotifyAsync(terms, _lease.Today, 25_000, ReturnDisposition.DealerPurchaseForInventory);

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer,
            new CompleteDealerPurchaseRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = held.CaseId, ApplySecurityDeposit = true }));

        Assert.Contains("the security deposit is refunded to the lessee", refusal.Message);
        Assert.Equal(ReturnCaseState.HeldForDealerPurchase, (await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, held.CaseId)).State);
        Assert.Empty(await LettersAsync(terms));
    }

    [Fact]
    public async Task InspectionAndAuctionResults_OutOfOrderOrRepeated_AreRefusedAndChangeNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 20_000);

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.SellAsync(returned.CaseId, 15_000_00));
        await _lease.InspectAsync(returned.CaseId, 20_000);
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.InspectAsync(returned.CaseId, 20_000));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.BackOffice,
            new RecordAuctionResultRequest { RequestId = "r", CaseId = returned.CaseId, ListingId = "L-1", Sold = true, SalePriceCents = -1 }));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.InspectAsync(returned.CaseId, 20_000, ("dent", -5_00)));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.InspectAsync("A-NOPE-R1", 20_000));

        Assert.Equal(ReturnCaseState.Inspected, (await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returned.CaseId)).State);
    }

    [Theory]
    // The lessee signed 25,000 mi at the return; up to 250 mi below it is taken, more is refused.
    [InlineData(25_300, true)]
    [InlineData(24_750, true)]
    [InlineData(24_749, false)]
    public async Task InspectionResult_WithTheOdometerFarBelowTheSignedStatement_IsRefused(long inspectorsReading, bool taken)
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        if (taken)
            await _lease.InspectAsync(returned.CaseId, inspectorsReading);
        else
            await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.InspectAsync(returned.CaseId, inspectorsReading));

        Assert.Equal(taken ? ReturnCaseState.Inspected : ReturnCaseState.InRemarketing, (await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returned.CaseId)).State);
    }

    [Fact]
    public async Task InspectionResult_RefusedForTheOdometer_IsTakenOnceTheCenterCorrectsTheStatement()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);
        var result = new RecordInspectionResultRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, ConditionReportId = "CR-7", OdometerMiles = 15_000 };

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.RecordInspectionResultAsync(TestLeaseEnd.BackOffice, result));
        var untouched = await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returned.CaseId);
        await _lease.Desk.RecordOdometerAsync(TestLeaseEnd.Center,
            new RecordOdometerRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, OdometerMiles = 14_990, SignedByLessee = true });
        var inspected = await _lease.Desk.RecordInspectionResultAsync(TestLeaseEnd.BackOffice, result.Clone());

        Assert.StartsWith(
            "the inspector's odometer (15,000 mi) is 10,000 mi below the odometer statement signed at the return (25,000 mi; at most 250 mi below is taken): " +
            "an odometer does not go backwards, so one reading is wrong. The remarketing center corrects the statement of case",
            refusal.Message);
        Assert.Equal((ReturnCaseState.InRemarketing, ""), (untouched.State, untouched.ConditionReportId));
        Assert.Equal((ReturnCaseState.Inspected, "CR-7"), (inspected.State, inspected.ConditionReportId));
    }

    [Fact]
    public async Task InspectionAndAuctionTimes_InTheFutureOrBeforeTheReturn_AreRefusedAndChangeNothing()
    {
        // Returned 2026-11-22; the clock reads 2026-11-24 15:00 UTC.
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today.AddDays(-2), 20_000);
        var now = TestLeaseEnd.Start;
        Task<ReturnCase> InspectAt(DateTimeOffset at) => _lease.Desk.RecordInspectionResultAsync(TestLeaseEnd.BackOffice, new RecordInspectionResultRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, ConditionReportId = "CR-1", OdometerMiles = 20_000, InspectedAt = Timestamp.FromDateTimeOffset(at),
        });
        Task<ReturnCase> SoldAt(DateTimeOffset at) => _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.BackOffice, new RecordAuctionResultRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, ListingId = "L-1", Sold = true, SalePriceCents = 15_000_00, ClosedAt = Timestamp.FromDateTimeOffset(at),
        });
        async Task<ReturnCaseState> StateAsync() => (await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returned.CaseId)).State;

        var inspectedTomorrow = await RefusedAsync(DomainErrorKind.InvalidArgument, () => InspectAt(now.AddDays(1)));
        var inspectedBeforeTheReturn = await RefusedAsync(DomainErrorKind.InvalidArgument, () => InspectAt(new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero)));
        var stillInRemarketing = await StateAsync();
        await InspectAt(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        var soldInTwoMinutes = await RefusedAsync(DomainErrorKind.InvalidArgument, () => SoldAt(now.AddMinutes(2)));
        var soldBeforeTheInspection = await RefusedAsync(DomainErrorKind.InvalidArgument, () => SoldAt(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        var soldBeforeTheReturn = await RefusedAsync(DomainErrorKind.InvalidArgument, () => SoldAt(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        var stillInspected = await StateAsync();
        // Another process' clock a few seconds ahead is not the future.
        var sold = await SoldAt(now.AddSeconds(30));

        Assert.Equal("inspected_at 2026-11-25 15:00:00Z is in the future (the clock reads 2026-11-24 15:00:00Z): give the time the inspection was done", inspectedTomorrow.Message);
        Assert.StartsWith("inspected_at 2026-11-21 23:59:59Z is before the vehicle was returned (2026-11-22, case", inspectedBeforeTheReturn.Message);
        Assert.StartsWith("closed_at 2026-11-24 15:02:00Z is in the future", soldInTwoMinutes.Message);
        Assert.StartsWith("closed_at 2026-11-23 09:00:00Z is before the inspection of case", soldBeforeTheInspection.Message);
        Assert.StartsWith("closed_at 2026-11-20 12:00:00Z is before the vehicle was returned", soldBeforeTheReturn.Message);
        Assert.Equal((ReturnCaseState.InRemarketing, ReturnCaseState.Inspected), (stillInRemarketing, stillInspected));
        Assert.Equal(ReturnCaseState.Settled, sold.State);
    }

    [Fact]
    public async Task AuctionResult_RepeatedRequestId_ReturnsTheFirstAnswerAndWritesOneLetter()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 20_000);
        await _lease.InspectAsync(returned.CaseId, 20_000);
        var request = new RecordAuctionResultRequest { RequestId = "sold-1", CaseId = returned.CaseId, ListingId = "L-9", Sold = true, SalePriceCents = 21_000_00 };

        var first = await _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.BackOffice, request);
        var again = await _lease.Desk.RecordAuctionResultAsync(TestLeaseEnd.BackOffice, request.Clone());

        Assert.Equal(first, again);
        Assert.Equal(2, (await LettersAsync(terms)).Count);
    }
}
