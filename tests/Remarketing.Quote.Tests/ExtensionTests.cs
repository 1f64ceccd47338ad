namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class ExtensionTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection, options =>
    {
        options.MaxDaysPerExtension = 30;
        options.MaxTotalExtensionDays = 45;
        options.MaxExtensions = 2;
    });

    private Task<LeaseExtension> ExtendAsync(LeaseTerms terms, int days, string? requestId = null) =>
        _lease.Desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = requestId ?? TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = days });

    [Fact]
    public async Task ExtendLease_ChargesTheDailyFeeAndMovesTheScheduledEnd()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());

        var extension = await ExtendAsync(terms, 30);
        var account = await _lease.AccountAsync(terms.AccountId);

        Assert.Equal((30, 900_00L), (extension.Days, extension.FeeCents));
        Assert.Equal(ProtoViews.ToProto(new DateOnly(2027, 1, 14)), extension.NewMaturityDate);
        Assert.Equal(extension.NewMaturityDate, account.ScheduledEndDate);
        Assert.Equal(ProtoViews.ToProto(terms.MaturityDate), account.Terms.MaturityDate);
    }

    [Fact]
    public async Task ExtendLease_AfterTheScheduledEnd_RunsOnFromIt_AndMustEndAfterToday()
    {
        // Matured 2026-11-14, ten days before the test clock's 2026-11-24.
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2023, 11, 14)));

        var tooShort = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 10));
        var extension = await ExtendAsync(terms, 11);

        Assert.Equal(
            $"lease account {terms.AccountId} was scheduled to end 2026-11-14: 10 days from then end 2026-11-24, not after today (2026-11-24); ask for at least 11 days",
            tooShort.Message);
        Assert.Equal(ProtoViews.ToProto(new DateOnly(2026, 11, 25)), extension.NewMaturityDate);
        Assert.Equal(11 * terms.ExtensionDailyFeeCents, extension.FeeCents);
    }

    [Theory]
    // The test clock reads 2026-11-24: a lease ending 2027-03-24 is 120 days away, one ending 2027-03-25 is 121.
    [InlineData("2024-03-24", true)]
    [InlineData("2024-03-25", false)]
    // Ends 2027-12-15, more than a year away.
    [InlineData("2024-12-15", false)]
    public async Task ExtendLease_IsGrantedOnlyWithin120DaysOfTheScheduledEnd(string start, bool granted)
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: DateOnly.Parse(start)));

        if (granted)
        {
            await ExtendAsync(terms, 10);
        }
        else
        {
            var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 10));
            var opens = terms.MaturityDate.AddDays(-120);
            Assert.Equal(
                $"lease account {terms.AccountId} is scheduled to end {terms.MaturityDate:yyyy-MM-dd}: an extension is granted only within 120 days of the scheduled end; " +
                $"ask on or after {opens:yyyy-MM-dd}",
                refusal.Message);
        }

        Assert.Equal(granted ? 1 : 0, (await _lease.ReadAsync(terms)).Extensions.Count);
    }

    [Fact]
    public async Task ExtendLease_RepeatedRequestId_GrantsOnce()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());

        var first = await ExtendAsync(terms, 10, "ext-1");
        var again = await ExtendAsync(terms, 10, "ext-1");

        Assert.Equal(first, again);
        Assert.Single((await _lease.ReadAsync(terms)).Extensions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(31)]
    public async Task ExtendLease_OutsideTheDaysOfOneExtension_IsInvalidArgument(int days)
    {
        var terms = await _lease.OpenNewAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => ExtendAsync(terms, days));

        Assert.Equal($"an extension is 1-30 days; {days} were asked", refusal.Message);
    }

    [Fact]
    public async Task ExtendLease_PastTheLimitOnTotalDays_IsRefusedSayingHowManyRemain()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());
        await ExtendAsync(terms, 30);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 16));

        Assert.Contains("at most 15 more", refusal.Message);
        Assert.Single((await _lease.ReadAsync(terms)).Extensions);
    }

    [Fact]
    public async Task ExtendLease_PastTheLimitOnExtensions_IsRefused()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());
        await ExtendAsync(terms, 5);
        await ExtendAsync(terms, 5);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 5));

        Assert.Contains("already has 2 extensions, the most that are approved", refusal.Message);
    }

    [Fact]
    public async Task ExtendLease_AfterTheReturn_IsRefused()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.EndingSoon());
        await _lease.NotifyAsync(terms, _lease.Today, 20_000);

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 5));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = "r", AccountId = "A-NOPE", Days = 5 }));
    }

    [Fact]
    public async Task ExtensionFees_AreOwedAtTheLeaseEnd()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await ExtendAsync(terms, 12);

        var quote = await LesseeReturnQuoteAsync(terms, asOf: terms.MaturityDate.AddDays(12));

        var fees = quote.LineItems.Single(line => line.Code == "extension_fees");
        Assert.Equal((360_00L, "Daily extension fees: 12 days"), (fees.AmountCents, fees.Description));
    }

    [Fact]
    public async Task ExtensionFees_ChargeOnlyTheExtensionDaysUsed_WhenTheLeaseEndsInsideAnExtension()
    {
        // Matures 2026-11-24 (today); extended 30 days to 2026-12-24, then 15 more to 2027-01-08; $30.00 a day.
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await ExtendAsync(terms, 30);
        await ExtendAsync(terms, 15);

        var beforeMaturity = await LesseeReturnQuoteAsync(terms, asOf: terms.MaturityDate.AddDays(-4));
        var tenDaysIn = await LesseeReturnQuoteAsync(terms, asOf: new DateOnly(2026, 12, 4));
        _lease.Clock.Advance(TimeSpan.FromDays(35));
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 30_000);
        await _lease.InspectAsync(returned.CaseId, 30_000);
        await _lease.SellAsync(returned.CaseId, 19_000_00);
        var settlement = await _lease.Desk.GetSettlementAsync(returned.CaseId);
        var letter = (await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters.Single(letter => letter.Kind == LetterKind.Settlement);

        Assert.DoesNotContain(beforeMaturity.LineItems, line => line.Code == "extension_fees");
        Assert.Equal(10 * 30_00, tenDaysIn.LineItems.Single(line => line.Code == "extension_fees").AmountCents);
        // Returned 2026-12-29: all 30 days of the first extension and 5 of the second, not the 10 never used.
        var fees = settlement.LineItems.Single(line => line.Code == "extension_fees");
        Assert.Equal((35 * 30_00L, "Daily extension fees: 35 of the 45 days granted (days not used are not charged)"), (fees.AmountCents, fees.Description));
        Assert.Equal(35 * 30_00, letter.LineItems.Single(line => line.Code == "extension_fees").AmountCents);
    }

    private Task<Contracts.Quote.V1.Quote> LesseeReturnQuoteAsync(LeaseTerms terms, DateOnly asOf) =>
        _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeReturn, OdometerMiles = 30_000, AsOf = ProtoViews.ToProto(asOf) });
}
