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

    public async Task<DateOnly> TodayAsync() => DateOnly.FromDateTime((await NowAsync()).ToDateTime());

    public async Task<Google.Protobuf.WellKnownTypes.Timestamp> NowAsync() =>
        (await new ClockService.ClockServiceClient(System.GatewayChannel()).GetClockAsync(new GetClockRequest(), Center)).Now;

    public Task<CaseStatus> StatusAsync(string caseId) => Quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = caseId }, Center).ResponseAsync;

    /// <summary>Waits until the case has reached <paramref name="step"/>; that step.</summary>
    public Task<CaseEvent> ReachedAsync(string caseId, CaseStep step) =>
        Waiting.EventuallyAsync($"case {caseId} to reach {step}", async () => (await StatusAsync(caseId)).Events.LastOrDefault(reached => reached.Step == step));

    /// <summary>The inspection Quote's hand-off ordered, accepted by its company's inspector and reported on.</summary>
    public async Task<ConditionReport> InspectAsync(string caseId, SubmitConditionReportRequest report)
    {
        var scheduled = await ReachedAsync(caseId, CaseStep.InspectionScheduled);
        var order = await Inspection.GetInspectionOrderAsync(new GetInspectionOrderRequest { OrderId = scheduled.Reference }, Center);
        var inspector = As(order.InspectionCompany, RoleNames.Inspector);
        await Inspection.AcceptInspectionAsync(new AcceptInspectionRequest { RequestId = TestLeaseEnd.NewRequestId(), OrderId = order.OrderId }, inspector);
        report.RequestId = TestLeaseEnd.NewRequestId();
        report.OrderId = order.OrderId;
        return await Inspection.SubmitConditionReportAsync(report, inspector);
    }

    public async Task<PickupOrder> PickupAsync(string caseId)
    {
        var ordered = await ReachedAsync(caseId, CaseStep.PickupOrdered);
        return await Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = ordered.Reference }, Center);
    }

    /// <summary>A clean car but for one worn tire (3/32 in, chargeable) and a small dent (normal wear).</summary>
    public static SubmitConditionReportRequest WornTireReport(long odometer) => new()
    {
        OdometerMiles = odometer,
        DamageObservations = { new DamageObservation { Panel = "left rear door", Kind = DamageKind.Dent, SizeTenthsInch = 20, Severity = Severity.Minor } },
        Tires =
        {
            new TireReading { Position = "LF", Tread32Nds = 7 },
            new TireReading { Position = "RF", Tread32Nds = 7 },
            new TireReading { Position = "LR", Tread32Nds = 3 },
            new TireReading { Position = "RR", Tread32Nds = 6 },
        },
    };
}
