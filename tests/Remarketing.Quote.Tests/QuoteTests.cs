namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class QuoteTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private async Task<Contracts.Quote.V1.Quote> QuoteAsync(LeaseTerms terms, QuoteKind kind, long odometer = 0, bool applyDeposit = false, DateOnly? asOf = null, Caller? caller = null)
    {
        if (await _lease.Store.FindAsync(terms.AccountId) is null)
            await _lease.OpenAsync(terms);
        var request = new GetQuoteRequest { AccountId = terms.AccountId, Vin = terms.Vin, Kind = kind, OdometerMiles = odometer, ApplySecurityDeposit = applyDeposit };
        if (asOf is { } date)
            request.AsOf = ProtoViews.ToProto(date);
        return await _lease.Desk.GetQuoteAsync(caller ?? TestLeaseEnd.Center, request);
    }

    private static IEnumerable<(string, long)> Lines(Contracts.Quote.V1.Quote quote) => quote.LineItems.Select(line => (line.Code, line.AmountCents));

    [Fact]
    public async Task LesseeReturnQuote_BeforeMaturity_ChargesTheEarlyTerminationChargeAndEveryAmountDue()
    {
        var quote = await QuoteAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()), QuoteKind.LesseeReturn, odometer: 40_000);

        Assert.Equal(TerminationType.Early, quote.TerminationType);
        // Excess mileage on an early termination: 23 of 36 months elapsed (2024-12-15 to 2026-11-24),
        // 12,000 mi a year prorated to 23,000 allowed; 40,000 - 23,000 = 17,000 x $0.20 = $3,400.00,
        // taxed 6.25 %: $212.50.
        Assert.Equal(
            [
                ("remaining_payments", 5_040_00), ("unearned_rent_charges", -945_08), ("residual_value", 18_000_00), ("rent_charge_accrued", 24_06),
                ("disposition_fee", 395_00), ("realized_value", -18_000_00), ("excess_mileage", 3_400_00), ("past_due", 120_00),
                ("personal_property_tax", 80_15), ("sales_tax", 212_50), ("security_deposit", -500_00),
            ],
            Lines(quote));
        Assert.Equal((22_513_98L, 4_513_98L, 7_826_63L), (quote.EarlyTerminationPayoffCents, quote.EarlyTerminationChargeCents, quote.TotalCents));
        Assert.True(quote.Estimated);
        Assert.True(quote.LineItems.Single(line => line.Code == "realized_value").Estimated);
    }

    [Fact]
    public async Task LesseeReturnQuote_AtNormalMaturity_RefundsUnusedPurchasedMilesAndExcludesExcessWear()
    {
        var terms = TestLeaseEnd.WithCharges(TestLeaseEnd.MaturingToday()) with { PurchasedAdditionalMiles = 5_000, PurchasedMilePriceCents = 15 };

        var quote = await QuoteAsync(terms, QuoteKind.LesseeReturn, odometer: 38_000);

        Assert.Equal(TerminationType.NormalMaturity, quote.TerminationType);
        Assert.Equal(
            [("disposition_fee", 395_00), ("unused_purchased_miles", -450_00), ("past_due", 120_00), ("personal_property_tax", 80_15), ("security_deposit", -500_00)],
            Lines(quote));
        Assert.Equal(-354_85, quote.TotalCents);
        Assert.False(quote.Estimated);
        Assert.DoesNotContain(quote.LineItems, line => line.Code == "excess_wear");
    }

    [Fact]
    public async Task LesseeReturnQuote_AfterTheReturn_UsesTheOdometerStatement()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(months: 24, start: new DateOnly(2024, 11, 24)));
        await _lease.NotifyAsync(terms, _lease.Today, 30_000);

        var quote = await QuoteAsync(terms, QuoteKind.LesseeReturn);

        Assert.Equal(1_200_00, quote.LineItems.Single(line => line.Code == "excess_mileage").AmountCents);
    }

    [Fact]
    public async Task Quote_AfterTheReturn_StandsAsOfTheReturnDate_AndHoldsFromToday()
    {
        var terms = await _lease.OpenNewAsync();
        await _lease.NotifyAsync(terms, _lease.Today, 20_000);
        _lease.Clock.Advance(TimeSpan.FromDays(30));

        var quote = await QuoteAsync(terms, QuoteKind.LesseeReturn);

        // The 2026-12-15 payment fell due after the return: it is not owed, and the figure no longer moves.
        Assert.Equal(ProtoViews.ToProto(new DateOnly(2026, 11, 24)), quote.AsOf);
        Assert.Equal("Remaining payments: 12 x $420.00", quote.LineItems[0].Description);
        Assert.Equal(new DateTimeOffset(2027, 1, 3, 0, 0, 0, TimeSpan.Zero), quote.ValidUntil.ToDateTimeOffset());
    }

    [Fact]
    public async Task DealerPurchaseQuotes_BeforeMaturity_AreThePayoffAndFee_WithTheLesseesAmountsDueOnlyForLessee_WithoutSalesTax()
    {
        var terms = TestLeaseEnd.WithCharges(TestLeaseEnd.Terms());

        var forLessee = await QuoteAsync(terms, QuoteKind.DealerPurchaseForLessee);
        var forInventory = await QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory);
        var asTheDealerSeesIt = await QuoteAsync(terms, QuoteKind.DealerPurchaseForLessee, caller: TestLeaseEnd.Dealer);

        Assert.Equal(
            [
                ("remaining_payments", 5_040_00), ("unearned_rent_charges", -945_08), ("residual_value", 18_000_00), ("rent_charge_accrued", 24_06),
                ("purchase_option_fee", 300_00), ("past_due", 120_00), ("personal_property_tax", 80_15),
            ],
            Lines(forLessee));
        Assert.Equal((22_418_98L, 22_619_13L), (forLessee.EarlyTerminationPayoffCents, forLessee.TotalCents));
        // For Inventory the lessee's own amounts stay on the lessee's settlement, not in the dealer's price.
        Assert.Equal(Lines(forLessee).Take(5), Lines(forInventory));
        Assert.Equal(22_418_98L, forInventory.TotalCents);
        Assert.NotEqual(forLessee.QuoteId, forInventory.QuoteId);
        // The dealer gets the same quote: the payoff's parts (the lessee's payments and residual) as one line, the lessee's amounts due as one.
        Assert.Equal(
            [("early_termination_payoff", 5_040_00 - 945_08 + 18_000_00 + 24_06), ("purchase_option_fee", 300_00), ("lessee_amounts_due", 120_00 + 80_15)],
            Lines(asTheDealerSeesIt));
        Assert.Equal((forLessee.QuoteId, forLessee.TotalCents), (asTheDealerSeesIt.QuoteId, asTheDealerSeesIt.TotalCents));
    }

    [Theory]
    [InlineData(false, 19_443_75 + 200_15)]
    [InlineData(true, 18_943_75 + 200_15)]
    public async Task LesseeBuyout_IsThePurchaseOptionPricePlusFeesTaxesAndAmountsDue_LessTheDepositIfApplied(bool applyDeposit, long expectedTotal)
    {
        // $18,000.00 + $300.00 fee + 6.25% tax on $18,300.00 ($1,143.75) + $200.15 due (- $500.00 deposit).
        var quote = await QuoteAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.MaturingToday()), QuoteKind.LesseeBuyout, applyDeposit: applyDeposit);

        Assert.Equal(1_143_75, quote.LineItems.Single(line => line.Code == "sales_tax").AmountCents);
        Assert.Equal(expectedTotal, quote.TotalCents);
        Assert.Equal(applyDeposit, quote.LineItems.Any(line => line.Code == "security_deposit"));
    }

    [Fact]
    public async Task LesseeBuyout_AskedByADealer_IsPermissionDenied()
    {
        var refusal = await RefusedAsync(DomainErrorKind.PermissionDenied, () => QuoteAsync(TestLeaseEnd.Terms(), QuoteKind.LesseeBuyout, caller: TestLeaseEnd.Dealer));

        Assert.Contains("between the lender and the lessee", refusal.Message);
    }

    [Theory]
    // Payments on the 15th: the validity (10 days from 2026-11-24) ends before the next payment (2026-12-15).
    [InlineData("2024-12-15", "2026-12-04")]
    // Payments on the 28th: the next payment (2026-11-28) falls due first.
    [InlineData("2024-11-28", "2026-11-28")]
    public async Task Quote_IsValidUntilTheNextPaymentOrTheValidityPeriod_WhicheverIsFirst(string start, string validUntil)
    {
        var quote = await QuoteAsync(TestLeaseEnd.Terms(start: DateOnly.Parse(start)), QuoteKind.DealerPurchaseForInventory);

        Assert.Equal(DateTimeOffset.Parse(validUntil + "T00:00:00Z"), quote.ValidUntil.ToDateTimeOffset());
    }

    [Theory]
    // As of an earlier date: the payment after it (2026-11-10) has passed, yet the quote holds 10 days from today.
    [InlineData("2026-11-05")]
    // As of a later date: still 10 days from today, not from that date (nor to the payment after it, 2026-12-10).
    [InlineData("2026-12-08")]
    public async Task Quote_IsValidFromWhenItIsIssued_NotFromItsAsOfDate(string asOf)
    {
        // Payments fall due on the 10th; the test clock reads 2026-11-24 15:00 UTC.
        var terms = TestLeaseEnd.Terms(start: new DateOnly(2024, 12, 10));

        var quote = await QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory, asOf: DateOnly.Parse(asOf));

        Assert.Equal(ProtoViews.ToProto(DateOnly.Parse(asOf)), quote.AsOf);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), quote.ValidUntil.ToDateTimeOffset());
        Assert.True(quote.ValidUntil.ToDateTimeOffset() > _lease.Clock.GetUtcNow(), "a quote is never expired when it is issued");
    }

    [Fact]
    public async Task Quote_AsOfADateFarAhead_IsRefused_PastTheLimitAfterTheScheduledEnd()
    {
        // Matures 2027-12-15: figures are made up to 30 days after it.
        var terms = await _lease.OpenNewAsync();

        var lastDay = await QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory, asOf: new DateOnly(2028, 1, 14));
        var dayAfter = await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory, asOf: new DateOnly(2028, 1, 15)));
        var year2200 = await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.LesseeBuyout, asOf: new DateOnly(2200, 1, 1)));
        var options = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center,
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000, AsOf = ProtoViews.ToProto(new DateOnly(2200, 1, 1)) }));

        Assert.Equal(ProtoViews.ToProto(new DateOnly(2028, 1, 14)), lastDay.AsOf);
        Assert.Equal(
            "as_of 2200-01-01 is too far ahead: figures are made up to 30 days after the scheduled end (2027-12-15), so as of 2028-01-14 at the latest",
            year2200.Message);
        Assert.Equal(year2200.Message, options.Message);
        Assert.StartsWith("as_of 2028-01-15 is too far ahead", dayAfter.Message);
    }

    [Fact]
    public async Task Quote_ForTheSameFigures_HasTheSameId()
    {
        var terms = TestLeaseEnd.Terms();

        var first = await QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory);
        var second = await QuoteAsync(terms, QuoteKind.DealerPurchaseForInventory);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Quote_WithBadInput_IsRefused()
    {
        var terms = TestLeaseEnd.Terms() with { StartingOdometerMiles = 100 };

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.Unspecified));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.LesseeReturn));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.LesseeReturn, odometer: 99));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.LesseeBuyout, asOf: terms.StartDate.AddDays(-1)));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = "A-NOPE", Kind = QuoteKind.LesseeBuyout }));
    }

    [Fact]
    public async Task CompareEarlyTerminationOptions_ShowsReturnBuyKeepAndExtendSideBySide()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()));
        var returnQuote = await QuoteAsync(terms, QuoteKind.LesseeReturn, odometer: 24_000);
        var buyQuote = await QuoteAsync(terms, QuoteKind.LesseeBuyout, applyDeposit: true);

        var compared = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center, new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000 });

        var options = compared.Options.ToDictionary(option => option.Kind);
        Assert.Equal(
            [EarlyTerminationOptionKind.ReturnNow, EarlyTerminationOptionKind.BuyNow, EarlyTerminationOptionKind.KeepToMaturity, EarlyTerminationOptionKind.Extend],
            compared.Options.Select(option => option.Kind));
        Assert.Equal(returnQuote.TotalCents, options[EarlyTerminationOptionKind.ReturnNow].TotalCents);
        Assert.Equal(buyQuote.TotalCents, options[EarlyTerminationOptionKind.BuyNow].TotalCents);
        var keep = options[EarlyTerminationOptionKind.KeepToMaturity];
        Assert.Equal(5_040_00, keep.LineItems.Single(line => line.Code == "remaining_payments").AmountCents);
        Assert.True(keep.Estimated);
        var extend = options[EarlyTerminationOptionKind.Extend];
        Assert.Equal(900_00, extend.LineItems.Single(line => line.Code == "extension_fees").AmountCents);
        foreach (var option in compared.Options)
            Assert.Equal(option.LineItems.Sum(line => line.AmountCents), option.TotalCents);
    }

    [Fact]
    public async Task CompareEarlyTerminationOptions_ProjectsTheMileageToMaturity()
    {
        // 24,000 miles in the first 709 days is 33.85 a day: 37,066 miles by 2027-12-15 (1,095 days), 1,066 over 36,000.
        var terms = await _lease.OpenNewAsync();

        var compared = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center, new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000 });

        var keep = compared.Options.Single(option => option.Kind == EarlyTerminationOptionKind.KeepToMaturity);
        var mileage = keep.LineItems.Single(line => line.Code == "excess_mileage");
        Assert.Equal(1_066 * 20, mileage.AmountCents);
        Assert.True(mileage.Estimated);
    }

    [Fact]
    public async Task CompareEarlyTerminationOptions_WithoutAnOdometer_IsRefused_AsTheLesseeReturnQuoteIs()
    {
        var terms = await _lease.OpenNewAsync();

        var options = await RefusedAsync(DomainErrorKind.InvalidArgument, () =>
            _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center, new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId }));
        var quote = await RefusedAsync(DomainErrorKind.InvalidArgument, () => QuoteAsync(terms, QuoteKind.LesseeReturn));

        Assert.Equal("odometer_miles is required to compare the early termination options: the vehicle's current odometer reading", options.Message);
        Assert.Equal("odometer_miles is required to quote a Lessee Return before the return is notified: the vehicle's current odometer reading", quote.Message);
    }

    [Fact]
    public async Task CompareEarlyTerminationOptions_AtMaturity_IsRefused()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () =>
            _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center, new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 30_000 }));

        Assert.Contains("not an early termination", refusal.Message);
    }

    [Fact]
    public async Task CheckRetailFinancing_UsesTheClockForTheInceptionAndRefusesImpossibleInput()
    {
        var eligible = _lease.Desk.CheckRetailFinancing(new CheckRetailFinancingRequest { ModelYear = 2017, OdometerMiles = 120_000 });
        var old = _lease.Desk.CheckRetailFinancing(new CheckRetailFinancingRequest { ModelYear = 2016, OdometerMiles = 120_001 });

        Assert.True(eligible.Eligible);
        Assert.Equal(2, old.Reasons.Count);
        Assert.Throws<DomainException>(() => _lease.Desk.CheckRetailFinancing(new CheckRetailFinancingRequest { ModelYear = 2016, OdometerMiles = -1 }));
        Assert.Throws<DomainException>(() => _lease.Desk.CheckRetailFinancing(new CheckRetailFinancingRequest { ModelYear = 2030, OdometerMiles = 10 }));
    }
}
