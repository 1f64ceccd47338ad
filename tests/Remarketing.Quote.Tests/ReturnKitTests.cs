namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class ReturnKitTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    [Fact]
    public async Task ReturnKit_GoesOutExactly120DaysBeforeTheScheduledEnd_Once()
    {
        // Maturity 2027-03-25: the kit is due 2026-11-25 00:00 UTC, nine hours after the test clock starts.
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 3, 25)) with { PurchaseOptionFeeCents = 300_00, SalesTaxRateBasisPoints = 625 });
        var due = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

        _lease.Clock.SetUtcNow(due - TimeSpan.FromTicks(1));
        await _lease.Jobs.SendDueReturnKitsAsync();
        var before = (await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters;
        _lease.Clock.SetUtcNow(due);
        await _lease.Jobs.SendDueReturnKitsAsync();
        await _lease.Jobs.SendDueReturnKitsAsync();
        var after = (await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters;

        Assert.Empty(before);
        var kit = Assert.Single(after);
        Assert.Equal((LetterKind.ReturnKit, due), (kit.Kind, kit.Dated.ToDateTimeOffset()));
        // Buying at the end: $18,000.00 + $300.00 fee + 6.25% tax on $18,300.00.
        Assert.Equal(19_443_75, kit.TotalCents);
        Assert.Equal(due, (await _lease.AccountAsync(terms.AccountId)).ReturnKitSentAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ReturnKit_ForALeaseAlreadyWithin120Days_GoesOutAtOnce_AndOnlyOnce()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10)));

        await _lease.Jobs.SendDueReturnKitsAsync();

        Assert.Equal(TestLeaseEnd.Start, Assert.Single((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters).Dated.ToDateTimeOffset());
    }

    [Fact]
    public async Task ReturnKit_ForALeaseOpenedAlreadyMatured_IsSentAtOnce_NeverDatedBeforeTheAccountWasOpened()
    {
        // Matured 2026-06-01, opened 2026-11-24 15:00 UTC: 120 days before the end was 2026-02-01.
        var terms = TestLeaseEnd.Terms(start: new DateOnly(2023, 6, 1));

        var opened = await _lease.OpenAsync(terms);
        _lease.Clock.Advance(TimeSpan.FromDays(1));
        await _lease.Jobs.SendDueReturnKitsAsync();
        var letters = (await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters;

        Assert.Equal((TestLeaseEnd.Start, TestLeaseEnd.Start), (opened.ReturnKitDueAt.ToDateTimeOffset(), opened.ReturnKitSentAt.ToDateTimeOffset()));
        var kit = Assert.Single(letters);
        Assert.Equal((LetterKind.ReturnKit, TestLeaseEnd.Start), (kit.Kind, kit.Dated.ToDateTimeOffset()));
        Assert.Equal(opened, await _lease.AccountAsync(terms.AccountId));
    }

    [Fact]
    public async Task ReturnKit_IsNotSentOnceTheVehicleIsReturned()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 3, 25)));
        await _lease.NotifyAsync(terms, _lease.Today, 20_000);

        _lease.Clock.Advance(TimeSpan.FromDays(2));
        await _lease.Jobs.SendDueReturnKitsAsync();

        Assert.DoesNotContain((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters, letter => letter.Kind == LetterKind.ReturnKit);
    }
}
