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
        var terms = await _lease.OpenNewAsync();

        var extension = await ExtendAsync(terms, 30);
        var account = await _lease.AccountAsync(terms.AccountId);

        Assert.Equal((30, 900_00L), (extension.Days, extension.FeeCents));
        Assert.Equal(ProtoViews.ToProto(new DateOnly(2028, 1, 14)), extension.NewMaturityDate);
        Assert.Equal(extension.NewMaturityDate, account.ScheduledEndDate);
        Assert.Equal(ProtoViews.ToProto(terms.MaturityDate), account.Terms.MaturityDate);
        Assert.Equal(new DateTimeOffset(2027, 9, 16, 0, 0, 0, TimeSpan.Zero), account.ReturnKitDueAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ExtendLease_RepeatedRequestId_GrantsOnce()
    {
        var terms = await _lease.OpenNewAsync();

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
        var terms = await _lease.OpenNewAsync();
        await ExtendAsync(terms, 30);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 16));

        Assert.Contains("at most 15 more", refusal.Message);
        Assert.Single((await _lease.ReadAsync(terms)).Extensions);
    }

    [Fact]
    public async Task ExtendLease_PastTheLimitOnExtensions_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();
        await ExtendAsync(terms, 5);
        await ExtendAsync(terms, 5);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 5));

        Assert.Contains("already has 2 extensions, the most that are approved", refusal.Message);
    }

    [Fact]
    public async Task ExtendLease_AfterTheReturn_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();
        await _lease.NotifyAsync(terms, _lease.Today, 20_000);

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => ExtendAsync(terms, 5));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = "r", AccountId = "A-NOPE", Days = 5 }));
    }

    [Fact]
    public async Task ExtensionFees_AreOwedAtTheLeaseEnd()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await ExtendAsync(terms, 12);

        var quote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeReturn, OdometerMiles = 30_000 });

        var fees = quote.LineItems.Single(line => line.Code == "extension_fees");
        Assert.Equal((360_00L, "Daily extension fees: 12 days"), (fees.AmountCents, fees.Description));
    }
}
