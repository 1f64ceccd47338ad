using System.Globalization;
using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Quote.Tests;

/// <summary>
/// The real system with the shared clock 40,000 times faster than real time (a day in about
/// 2 s, the 72-hour hold in 6.5 s), and the clients a lifecycle test calls through the gateway.
/// </summary>
public sealed class LifecycleSystemFixture : SystemOnRedisFixture
{
    public const double Speed = 40_000;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(Traces.Settings)
    {
        ["Clock:Epoch"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["Clock:Speed"] = Speed.ToString(CultureInfo.InvariantCulture),
        ["HandOffs:PollInterval"] = "00:00:00.100",
        ["HandOffs:FirstBackoff"] = "00:00:00.100",
        ["HandOffs:MaxBackoff"] = "00:00:01",
        ["Quote:JobInterval"] = "00:00:00.200",
    };

    /// <summary>Every process exports its spans here, as to an OpenTelemetry viewer.</summary>
    public TraceCollector Traces { get; private set; } = null!;

    public QuoteService.QuoteServiceClient Quote { get; private set; } = null!;

    public InspectionService.InspectionServiceClient Inspection { get; private set; } = null!;

    /// <summary>Each service's failed hand-offs, through the gateway: a call names whose (ServiceMetadata.For).</summary>
    public HandOffService.HandOffServiceClient HandOffs { get; private set; } = null!;

    public AuctionService.AuctionServiceClient Auction { get; private set; } = null!;

    public TransportService.TransportServiceClient Transport { get; private set; } = null!;

    public Metadata Center => System.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    public Metadata As(string subject, string role) => System.Tokens.Bearer(subject, role);

    public override async Task InitializeAsync()
    {
        Traces = await TraceCollector.StartAsync();
        await base.InitializeAsync();
        Steps = new Lifecycle(System);
        var channel = System.GatewayChannel();
        Quote = new(channel);
        Inspection = new(channel);
        HandOffs = new(channel);
        Auction = new(channel);
        Transport = new(channel);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Traces is not null)
            await Traces.DisposeAsync();
    }

    /// <summary>The vehicle's steps through the system (Remarketing.Testing's <see cref="Testing.Lifecycle"/>).</summary>
    public Lifecycle Steps { get; private set; } = null!;

    public Task<DateOnly> TodayAsync() => Steps.TodayAsync();

    public Task<Google.Protobuf.WellKnownTypes.Timestamp> NowAsync() => Steps.NowAsync();

    public Task<CaseStatus> StatusAsync(string caseId) => Steps.StatusAsync(caseId);

    /// <summary>Waits until the case has reached <paramref name="step"/>; that step.</summary>
    public Task<CaseEvent> ReachedAsync(string caseId, CaseStep step) => Steps.ReachedAsync(caseId, step);

    public Task<ConditionReport> InspectAsync(string caseId, SubmitConditionReportRequest report) => Steps.InspectAsync(caseId, report);

    public Task<PickupOrder> PickupAsync(string caseId) => Steps.PickupAsync(caseId);

    /// <summary>
    /// A new lease account at <paramref name="dealerId"/>'s franchise (36 months old when
    /// <paramref name="matured"/>, else 24), returned there today 30,000 miles on.
    /// </summary>
    public async Task<(LeaseTerms Terms, ReturnCase Case)> ReturnAsync(
        string dealerId, bool matured, string state = "OH", ReturnDisposition disposition = ReturnDisposition.LesseeReturn, Metadata? dealer = null)
    {
        var today = await TodayAsync();
        var terms = TestLeaseEnd.Terms(start: matured ? today.AddMonths(-36).AddDays(-3) : today.AddMonths(-24).AddDays(-3))
            with { SecurityDepositCents = 500_00, DispositionFeeCents = 395_00 };
        await SampleLease.FranchiseAsync(Quote, Center, dealerId, terms.Make);
        await Quote.CreateLeaseAccountAsync(TestLeaseEnd.Create(terms), Center);
        var request = TestLeaseEnd.Return(terms, today, terms.StartingOdometerMiles + 30_000, disposition);
        request.DealerState = state;
        return (terms, await Quote.NotifyReturnAsync(request, dealer ?? As(dealerId, RoleNames.GroundingDealer)));
    }
}
