using Microsoft.Extensions.Time.Testing;
using Remarketing.Quote.Domain;
using StackExchange.Redis;

namespace Remarketing.Quote.Tests;

/// <summary>
/// A Quote desk on the shared Redis with its own fake clock. Each test opens its own accounts;
/// the schedules are shared keys, so job tests look only at their own accounts' letters and cases.
/// </summary>
public sealed class TestLeaseEnd
{
    /// <summary>Tuesday 2026-11-24, 15:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    public static readonly Caller BackOffice = new("lease-servicing", RoleNames.Service);
    public static readonly Caller Center = new("RC-1", RoleNames.Remarketing);
    public static readonly Caller Dealer = new("D-100", RoleNames.GroundingDealer);
    public static readonly Caller OtherDealer = new("D-200", RoleNames.GroundingDealer);

    private static int _accounts;

    public TestLeaseEnd(IConnectionMultiplexer redis, Action<QuoteOptions>? configure = null)
    {
        Redis = redis;
        var options = new QuoteOptions();
        configure?.Invoke(options);
        Options = options;
        Store = new QuoteStore(redis, Outbox);
        Desk = CallsOn(Store);
        Jobs = new LeaseEndJobs(Store, Clock, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<LeaseEndJobs>.Instance);
    }

    public IConnectionMultiplexer Redis { get; }

    /// <summary>Quote's outbox (the tests' store writes hand-offs to it; nothing delivers them here).</summary>
    public Outbox Outbox { get; } = new("quote");

    public FakeTimeProvider Clock { get; } = new(Start);

    public QuoteOptions Options { get; }

    public QuoteStore Store { get; }

    /// <summary>The Quote service's operations, called in process through its gRPC face.</summary>
    public QuoteCalls Desk { get; }

    /// <summary>The clock jobs, run by hand: the test's clock decides what is due.</summary>
    public LeaseEndJobs Jobs { get; }

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// A 36-month lease that started 2024-12-15 (maturity 2027-12-15): on the test clock 24
    /// payments are made and 12 remain. $30,000.00 capitalized, $18,000.00 residual, $420.00 a month
    /// (other terms: $18,000.00 + $320.00 a month capitalized, so the rent charge stays positive).
    /// </summary>
    public static LeaseTerms Terms(DateOnly? start = null, int months = 36) => new(
        AccountId: $"A-{Interlocked.Increment(ref _accounts)}-{Guid.NewGuid().ToString("N")[..8]}",
        Vin: TestVins.Next(),
        ModelYear: 2025,
        Make: "Honda",
        Model: "Accord",
        Trim: "EX-L",
        LesseeState: "OH",
        StartDate: start ?? new DateOnly(2024, 12, 15),
        MaturityDate: (start ?? new DateOnly(2024, 12, 15)).AddMonths(months),
        TermMonths: months,
        MonthlyPaymentCents: 420_00,
        AdjustedCapitalizedCostCents: months == 36 ? 30_000_00 : 18_000_00 + months * 320_00,
        AllowedMilesPerYear: 12_000,
        PurchasedAdditionalMiles: 0,
        PurchasedMilePriceCents: 0,
        ExcessMileageRateCentsPerMile: 20,
        StartingOdometerMiles: 0,
        PurchaseOptionPriceCents: 18_000_00,
        PurchaseOptionFeeCents: 0,
        DispositionFeeCents: 0,
        SecurityDepositCents: 0,
        PastDueCents: 0,
        SalesTaxRateBasisPoints: 0,
        UnpaidPersonalPropertyTaxCents: 0,
        ExtensionDailyFeeCents: 30_00);

    /// <summary>A lease whose maturity date is today on the test clock.</summary>
    public static LeaseTerms MaturingToday() => Terms(start: DateOnly.FromDateTime(Start.UtcDateTime).AddMonths(-36));

    /// <summary>A lease maturing 2026-12-15, three weeks after today on the test clock: near enough its end to be extended.</summary>
    public static LeaseTerms EndingSoon() => Terms(start: new DateOnly(2023, 12, 15));

    /// <summary>The lease with every fee, tax and amount due set.</summary>
    public static LeaseTerms WithCharges(LeaseTerms terms) => terms with
    {
        DispositionFeeCents = 395_00,
        PurchaseOptionFeeCents = 300_00,
        SalesTaxRateBasisPoints = 625,
        SecurityDepositCents = 500_00,
        PastDueCents = 120_00,
        UnpaidPersonalPropertyTaxCents = 80_15,
    };

    public static CreateLeaseAccountRequest Create(LeaseTerms terms, string? requestId = null) =>
        new() { RequestId = requestId ?? NewRequestId(), Terms = ProtoViews.ToProto(terms) };

    /// <summary>Opens the account, with <see cref="Dealer"/> and <see cref="OtherDealer"/> franchised for its make.</summary>
    public async Task<LeaseAccount> OpenAsync(LeaseTerms terms)
    {
        await FranchiseAsync(Dealer.Subject, terms.Make);
        await FranchiseAsync(OtherDealer.Subject, terms.Make);
        return await Desk.CreateAccountAsync(BackOffice, Create(terms));
    }

    /// <summary>Registers <paramref name="dealerId"/> as franchised for <paramref name="makes"/> (the same registration, once, whoever asks again).</summary>
    public Task<FranchisedDealer> FranchiseAsync(string dealerId, params string[] makes) =>
        Desk.RegisterDealerAsync(Center, new RegisterDealerRequest { RequestId = $"franchise/{dealerId}/{string.Join("+", makes)}", DealerId = dealerId, Makes = { makes } });

    /// <summary>Opens an account on <paramref name="terms"/> (default: <see cref="Terms"/>) and returns the terms.</summary>
    public async Task<LeaseTerms> OpenNewAsync(LeaseTerms? terms = null)
    {
        terms ??= Terms();
        await OpenAsync(terms);
        return terms;
    }

    public static NotifyReturnRequest Return(LeaseTerms terms, DateOnly returnDate, long odometer, ReturnDisposition disposition = ReturnDisposition.LesseeReturn) => new()
    {
        RequestId = NewRequestId(),
        AccountId = terms.AccountId,
        Vin = terms.Vin,
        ReturnDate = ProtoViews.ToProto(returnDate),
        OdometerMiles = odometer,
        OdometerSignedByLessee = true,
        ReturnedItems = new ReturnedItems { Keys = 2, OwnersManual = true },
        DealerState = "OH",
        Disposition = disposition,
    };

    public Task<ReturnCase> NotifyAsync(LeaseTerms terms, DateOnly returnDate, long odometer, ReturnDisposition disposition = ReturnDisposition.LesseeReturn) =>
        Desk.NotifyReturnAsync(Dealer, Return(terms, returnDate, odometer, disposition));

    public Task<ReturnCase> InspectAsync(string caseId, long odometer, params (string Description, long Cents)[] wear)
    {
        var request = new RecordInspectionResultRequest { RequestId = NewRequestId(), CaseId = caseId, ConditionReportId = "CR-" + caseId, OdometerMiles = odometer };
        request.ExcessWear.Add(wear.Select(item => new ExcessWearItem { Description = item.Description, ChargeCents = item.Cents }));
        return Desk.RecordInspectionResultAsync(BackOffice, request);
    }

    public Task<ReturnCase> SellAsync(string caseId, long salePriceCents) =>
        Desk.RecordAuctionResultAsync(BackOffice, new RecordAuctionResultRequest
        {
            RequestId = NewRequestId(),
            CaseId = caseId,
            ListingId = "L-" + caseId,
            Sold = salePriceCents > 0,
            SalePriceCents = salePriceCents,
        });

    public Task<LeaseAccountRecord> ReadAsync(LeaseTerms terms) => Store.GetAsync(terms.AccountId);

    /// <summary>The account as the remarketing center reads it.</summary>
    public Task<LeaseAccount> AccountAsync(string accountId) => Desk.GetAccountAsync(Center, new GetLeaseAccountRequest { AccountId = accountId });

    /// <summary>The hand-offs to Inspection waiting in Quote's outbox for one case.</summary>
    public async Task<IReadOnlyList<ScheduleInspectionRequest>> QueuedForRemarketingAsync(string caseId) =>
        (await Redis.GetDatabase().StreamRangeAsync(Outbox.Pending))
        .Where(entry => ((string)entry[HandOffField.Operation]!).EndsWith("/ScheduleInspection", StringComparison.Ordinal))
        .Select(entry => ScheduleInspectionRequest.Parser.ParseFrom((byte[])entry[HandOffField.Body]!))
        .Where(request => request.CaseId == caseId).ToList();

    /// <summary>The Quote service's operations on <paramref name="store"/>, with this desk's clock and options.</summary>
    public QuoteCalls CallsOn(QuoteStore store)
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        return new QuoteCalls(new QuoteGrpcService(new LeaseEndDesk(store, Clock, options), new QuoteDesk(store, Clock, options), new CaseJourneyDesk(store, Clock, options), new DealerRegistry(store, Clock)));
    }

    public static string NewRequestId() => Guid.NewGuid().ToString("N");
}
