namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class ReturnTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    [Fact]
    public async Task NotifyReturn_OnTheMaturityDate_IsNormalMaturity()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());

        var returned = await _lease.NotifyAsync(terms, terms.MaturityDate, 30_000);

        Assert.Equal(TerminationType.NormalMaturity, returned.TerminationType);
    }

    [Fact]
    public async Task NotifyReturn_TheDayBeforeMaturity_IsEarlyTermination()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());

        var returned = await _lease.NotifyAsync(terms, terms.MaturityDate.AddDays(-1), 30_000);

        Assert.Equal(TerminationType.Early, returned.TerminationType);
    }

    [Fact]
    public async Task NotifyReturn_RecordsTheOdometerStatementTheItemsAndTheDealerFromItsToken()
    {
        var terms = await _lease.OpenNewAsync();

        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        Assert.Equal($"{terms.AccountId}-R1", returned.CaseId);
        Assert.Equal(TestLeaseEnd.Dealer.Subject, returned.GroundingDealerId);
        Assert.Equal((25_000L, true), (returned.Odometer.OdometerMiles, returned.Odometer.SignedByLessee));
        Assert.Equal(TestLeaseEnd.Start, returned.Odometer.RecordedAt.ToDateTimeOffset());
        Assert.Equal(2, returned.ReturnedItems.Keys);
        Assert.Equal(AccountState.InTermination, (await _lease.AccountAsync(terms.AccountId)).State);
        Assert.Equal(returned, await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Dealer, returned.CaseId));
    }

    [Fact]
    public async Task NotifyReturn_LesseeReturn_StartsRemarketingAtOnce()
    {
        var terms = await _lease.OpenNewAsync();

        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        Assert.Equal(ReturnCaseState.InRemarketing, returned.State);
        Assert.Null(returned.HoldUntil);
        var queued = Assert.Single(await _lease.QueuedForRemarketingAsync(returned.CaseId));
        Assert.Equal(("lessee_return", terms.Vin), (queued.Reason, queued.Vehicle.Vin));
    }

    [Fact]
    public async Task NotifyReturn_RepeatedRequestId_ReturnsTheFirstCaseAndQueuesItOnce()
    {
        var terms = await _lease.OpenNewAsync();
        var request = TestLeaseEnd.Return(terms, _lease.Today, 25_000);

        var first = await _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, request);
        _lease.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, request.Clone());

        Assert.Equal(first, again);
        Assert.Single(await _lease.QueuedForRemarketingAsync(first.CaseId));
        Assert.Single((await _lease.ReadAsync(terms)).Cases);
    }

    [Fact]
    public async Task NotifyReturn_RepeatedRequestIdWithOtherContent_IsRefusedAndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var request = TestLeaseEnd.Return(terms, _lease.Today, 25_000);
        var first = await _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, request);
        var changed = request.Clone();
        changed.OdometerMiles = 26_000;

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, changed));

        Assert.Equal(25_000, (await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, first.CaseId)).Odometer.OdometerMiles);
    }

    [Fact]
    public async Task NotifyReturn_ForAnUnknownAccount_IsNotFound()
    {
        var request = TestLeaseEnd.Return(TestLeaseEnd.Terms(), _lease.Today, 25_000);

        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, request));
    }

    [Fact]
    public async Task NotifyReturn_WithAReturnDateInTheFuture_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.NotifyAsync(terms, _lease.Today.AddDays(1), 25_000));

        Assert.Equal("the return date 2026-11-25 is in the future (today is 2026-11-24): notify a return once the vehicle is back", refusal.Message);
        Assert.Empty((await _lease.ReadAsync(terms)).Cases);
    }

    [Theory]
    // Matures 2026-10-01; the test clock reads 2026-11-24. The limit is 30 days after the scheduled end.
    [InlineData("2026-10-31", false)]
    [InlineData("2026-11-01", true)]
    public async Task NotifyReturn_LongAfterTheScheduledEnd_IsTakenAndFlaggedForTheRemarketingCenter(string returnDate, bool flagged)
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2023, 10, 1)));

        var returned = await _lease.NotifyAsync(terms, DateOnly.Parse(returnDate), 40_000);
        var seen = await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Center, returned.CaseId);

        // The vehicle is back: the case goes on as any Lessee Return, and the flag is on it for the remarketing center (not in the dealer's view).
        Assert.Equal(ReturnCaseState.InRemarketing, returned.State);
        Assert.Single(await _lease.QueuedForRemarketingAsync(returned.CaseId));
        Assert.Empty(returned.ReviewFlags);
        Assert.Empty((await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Dealer, returned.CaseId)).ReviewFlags);
        Assert.Equal(flagged ? ["late_return"] : Array.Empty<string>(), seen.ReviewFlags.Select(flag => flag.Code));
        Assert.All(seen.ReviewFlags, flag =>
        {
            Assert.Equal(TestLeaseEnd.Start, flag.RaisedAt.ToDateTimeOffset());
            Assert.StartsWith("returned 31 days after the scheduled end (2026-10-01); past 30 days this system has no rule", flag.Description);
        });
    }

    [Fact]
    public async Task NotifyReturn_WithTheOdometerBelowTheLeasesStart_IsRefused()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.Terms() with { StartingOdometerMiles = 12 });

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.NotifyAsync(terms, _lease.Today, 11));

        Assert.Contains("below the lease's starting odometer (12 mi)", refusal.Message);
        Assert.Equal(Remarketing.Quote.Domain.AccountStatus.Active, (await _lease.ReadAsync(terms)).State);
    }

    [Fact]
    public async Task NotifyReturn_WithAnOdometerStatementTheLesseeDidNotSign_IsRefused_AndChangesNothing()
    {
        var terms = await _lease.OpenNewAsync();
        var unsigned = TestLeaseEnd.Return(terms, _lease.Today, 25_000);
        unsigned.OdometerSignedByLessee = false;

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.Dealer, unsigned));

        Assert.StartsWith("the odometer statement must be signed by the lessee", refusal.Message, StringComparison.Ordinal);
        Assert.Empty((await _lease.ReadAsync(terms)).Cases);
    }

    [Fact]
    public async Task NotifyReturn_SendsTheLesseeACopyOfTheOdometerStatementItSigned()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        var letters = await _lease.Desk.ListLettersAsync(terms.AccountId);

        var copy = Assert.Single(letters.Letters, letter => letter.Kind == LetterKind.OdometerStatement);
        Assert.Equal($"{returned.CaseId}-odometer", copy.LetterId);
        Assert.Equal(
            $"Odometer statement signed by the lessee: 25,000 mi at the return on {_lease.Today:yyyy-MM-dd} to dealer D-100 (OH), VIN {terms.Vin}",
            Assert.Single(copy.LineItems).Description);
        Assert.Equal(0, copy.TotalCents);
    }

    [Fact]
    public async Task NotifyReturn_WithoutADisposition_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.NotifyAsync(terms, _lease.Today, 25_000, ReturnDisposition.Unspecified));
    }

    [Fact]
    public async Task NotifyReturn_WhileACaseIsOpen_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();
        var open = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.NotifyAsync(terms, _lease.Today, 25_100));

        Assert.Contains($"already has return case {open.CaseId} open", refusal.Message);
    }

    [Fact]
    public async Task NotifyReturn_ByASecondDealer_WhileAnothersCaseIsOpen_IsRefused_WithoutLearningThatCase()
    {
        var terms = await _lease.OpenNewAsync();
        var open = await _lease.NotifyAsync(terms, _lease.Today, 25_000);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition,
            () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.OtherDealer, TestLeaseEnd.Return(terms, _lease.Today, 25_100)));

        Assert.Equal($"the vehicle of lease account {terms.AccountId} has already been returned at another dealer: ask the remarketing center", refusal.Message);
        Assert.DoesNotContain(open.CaseId, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyReturn_ForAClosedAccount_IsRefused()
    {
        var terms = await _lease.OpenNewAsync();
        var held = await _lease.NotifyAsync(terms, _lease.Today, 25_000, ReturnDisposition.DealerPurchaseForInventory);
        await _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.Dealer, new CompleteDealerPurchaseRequest { RequestId = "done", CaseId = held.CaseId });

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.NotifyAsync(terms, _lease.Today, 25_000));

        Assert.Contains("is closed", refusal.Message);
    }

    [Fact]
    public async Task RecordOdometer_GoingBackwards_IsRefusedForTheDealerButTheCenterMayCorrectIt()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);
        RecordOdometerRequest Reading(long miles) => new() { RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, OdometerMiles = miles, SignedByLessee = true };

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _lease.Desk.RecordOdometerAsync(TestLeaseEnd.Dealer, Reading(24_000)));
        var raised = await _lease.Desk.RecordOdometerAsync(TestLeaseEnd.Dealer, Reading(25_500));
        var corrected = await _lease.Desk.RecordOdometerAsync(TestLeaseEnd.Center, Reading(25_050));

        Assert.Equal(25_500, raised.Odometer.OdometerMiles);
        Assert.Equal(25_050, corrected.Odometer.OdometerMiles);
    }

    [Fact]
    public async Task ReturnCase_OfAnotherDealer_AnswersAsIfThereWereNone()
    {
        // Case ids carry the account number: "another dealer's" would tell that the account exists.
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 25_000);
        var missing = returned.CaseId.Replace("-R1", "-R9", StringComparison.Ordinal);

        var read = await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.OtherDealer, returned.CaseId));
        var none = await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.OtherDealer, missing));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.RecordOdometerAsync(TestLeaseEnd.OtherDealer,
            new RecordOdometerRequest { RequestId = "r", CaseId = returned.CaseId, OdometerMiles = 26_000 }));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.CompleteDealerPurchaseAsync(TestLeaseEnd.OtherDealer,
            new CompleteDealerPurchaseRequest { RequestId = "c", CaseId = returned.CaseId }));

        Assert.Equal(read.Message.Replace(returned.CaseId, "?"), none.Message.Replace(missing, "?"));
    }
}
