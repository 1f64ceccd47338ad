namespace Remarketing.Quote.Tests;

[Collection(RedisCollection.Name)]
public sealed class LeaseAccountTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    [Fact]
    public async Task CreateLeaseAccount_StoresTheTermsAndSchedulesTheReturnKit120DaysBeforeTheEnd()
    {
        var terms = TestLeaseEnd.Terms();

        var created = await _lease.OpenAsync(terms);
        var read = await _lease.AccountAsync(terms.AccountId);

        Assert.Equal(created, read);
        Assert.Equal(AccountState.Active, read.State);
        Assert.Equal(ProtoViews.ToProto(terms), read.Terms);
        Assert.Equal(new DateTimeOffset(2027, 8, 17, 0, 0, 0, TimeSpan.Zero), read.ReturnKitDueAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task CreateLeaseAccount_RepeatedRequestIdWithTheSameContent_ReturnsTheFirstAccount()
    {
        var request = TestLeaseEnd.Create(TestLeaseEnd.Terms());

        var first = await _lease.Desk.CreateAccountAsync(TestLeaseEnd.BackOffice, request);
        var again = await _lease.Desk.CreateAccountAsync(TestLeaseEnd.BackOffice, request.Clone());

        Assert.Equal(first, again);
    }

    [Fact]
    public async Task CreateLeaseAccount_RepeatedRequestIdWithOtherContent_IsRefusedAndChangesNothing()
    {
        var terms = TestLeaseEnd.Terms();
        var request = TestLeaseEnd.Create(terms);
        await _lease.Desk.CreateAccountAsync(TestLeaseEnd.BackOffice, request);
        var other = TestLeaseEnd.Create(TestLeaseEnd.Terms(), request.RequestId);

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.CreateAccountAsync(TestLeaseEnd.BackOffice, other));

        Assert.Contains($"request id '{request.RequestId}' was already used", refusal.Message);
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.AccountAsync(other.Terms.AccountId));
    }

    [Fact]
    public async Task CreateLeaseAccount_ForAnAccountThatExists_IsAlreadyExists()
    {
        var terms = await _lease.OpenNewAsync();

        await RefusedAsync(DomainErrorKind.AlreadyExists, () => _lease.OpenAsync(terms with { MonthlyPaymentCents = 421_00 }));

        Assert.Equal(420_00, (await _lease.ReadAsync(terms)).Terms.MonthlyPaymentCents);
    }

    public static TheoryData<string, Func<LeaseTerms, LeaseTerms>, string> BadTerms => new()
    {
        { "bad VIN", terms => terms with { Vin = "1HGCV1F31PA000000" }, "fails its check digit" },
        { "short VIN", terms => terms with { Vin = "1HGCV1F3" }, "a VIN has 17 characters" },
        { "negative payment", terms => terms with { MonthlyPaymentCents = -1 }, "monthly_payment_cents cannot be negative" },
        { "negative deposit", terms => terms with { SecurityDepositCents = -500_00 }, "security_deposit_cents cannot be negative" },
        { "overflowing amount", terms => terms with { PastDueCents = long.MaxValue }, "above the most this system takes" },
        { "no account id", terms => terms with { AccountId = "" }, "account_id is required" },
        { "unknown state", terms => terms with { LesseeState = "XX" }, "not a two-letter US state" },
        { "maturity off the term", terms => terms with { MaturityDate = terms.MaturityDate.AddDays(3) }, "is not the start date plus 36 months" },
        { "negative rent", terms => terms with { AdjustedCapitalizedCostCents = 40_000_00 }, "the rent charge would be negative" },
        { "negative miles", terms => terms with { AllowedMilesPerYear = -1 }, "allowed_miles_per_year -1" },
    };

    [Theory]
    [MemberData(nameof(BadTerms))]
    public async Task CreateLeaseAccount_WithBadTerms_IsInvalidArgumentAndChangesNothing(string why, Func<LeaseTerms, LeaseTerms> spoil, string message)
    {
        var terms = spoil(TestLeaseEnd.Terms());

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.OpenAsync(terms));

        Assert.True(refusal.Message.Contains(message), $"{why}: {refusal.Message}");
        Assert.Null(await _lease.Store.FindAsync(terms.AccountId));
    }

    [Fact]
    public async Task GetLeaseAccount_ForAnUnknownAccount_IsNotFound()
    {
        var refusal = await RefusedAsync(DomainErrorKind.NotFound, () => _lease.AccountAsync("A-NOPE"));

        Assert.Equal("no lease account A-NOPE", refusal.Message);
    }
}
