using Remarketing.Quote.Domain;

namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class ReturnKitTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private static IEnumerable<(string, long)> Lines(IEnumerable<Contracts.Common.V1.LineItem> lines) => lines.Select(line => (line.Code, line.AmountCents));

    [Fact]
    public async Task ReturnKit_GoesOutExactly120DaysBeforeTheScheduledEnd_Once()
    {
        // Maturity 2027-03-25: the kit is due 2026-11-25 00:00 UTC, nine hours after the test clock starts.
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms(start: new DateOnly(2024, 3, 25))));
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
        // A kit bills nothing: it lays out the options.
        Assert.Equal((0, 0), (kit.LineItems.Count, kit.TotalCents));
        Assert.Equal(new DateOnly(2027, 3, 25), ProtoViews.ToDateOnly(kit.ReturnKit.ScheduledEndDate, "scheduled_end_date"));
        Assert.Equal(due, (await _lease.AccountAsync(terms.AccountId)).ReturnKitSentAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ReturnKit_ListsTheOptionsWithTheirFigures_TheChargesToExpect_AndWhatToBring()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10))) with { PurchasedAdditionalMiles = 3_000, PurchasedMilePriceCents = 15 });

        var kit = Assert.Single((await _lease.Desk.ListLettersAsync(terms.AccountId)).Letters).ReturnKit;

        Assert.Equal([ReturnKitOptionKind.Return, ReturnKitOptionKind.Buy, ReturnKitOptionKind.Extend], kit.Options.Select(option => option.Kind));
        // Return: $395.00 disposition fee + $120.00 past due + $80.15 property tax - $500.00 deposit, before mileage and wear.
        Assert.Equal([("disposition_fee", 395_00), ("past_due", 120_00), ("personal_property_tax", 80_15), ("security_deposit", -500_00)], Lines(kit.Options[0].LineItems));
        Assert.Equal(95_15, kit.Options[0].TotalCents);
        Assert.Contains("franchised Honda dealer", kit.Options[0].Description);
        // Buy: $18,000.00 + $300.00 fee + $200.15 owed + 6.25% on $18,300.00 ($1,143.75).
        Assert.Equal(19_643_90, kit.Options[1].TotalCents);
        // Extend: the most one extension allows, 30 days at $30.00.
        Assert.Equal([("extension_fees", 900_00)], Lines(kit.Options[2].LineItems));
        Assert.Contains("Excess mileage: $0.20 a mile over 36,000 mi (12,000 a year for 36 months) plus the 3,000 mi you bought", kit.ChargesToExpect);
        Assert.Contains("Disposition fee: $395.00", kit.ChargesToExpect);
        Assert.Contains(kit.ChargesToExpect, charge => charge.StartsWith("Refund: purchased miles you did not use ($0.15 a mile)", StringComparison.Ordinal));
        Assert.Equal(["A copy of your lease agreement", "The owner's manual", "The maintenance guide"], kit.WhatToBring.Take(3));
        Assert.Contains(kit.BeforeYouReturn, step => step.StartsWith("Sign the odometer statement", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReturnKit_WhenNoExtensionIsLeft_OffersOnlyReturnAndBuy()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10)));
        var lease = new TestLeaseEnd(_lease.Redis, options => options.MaxExtensions = 0);

        var kit = ReturnKit.Contents(await lease.ReadAsync(terms), lease.Options);

        Assert.Equal([KitChoiceType.Return, KitChoiceType.Buy], kit.Options.Select(option => option.Kind));
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
