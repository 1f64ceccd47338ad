using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Testing;

/// <summary>
/// A vehicle's way through the running system, as the parties outside it move it on through the
/// gateway: the clients, the remarketing center's token, and the steps a test waits for or plays
/// (the inspector's report, the pickup the hand-offs order).
/// </summary>
public sealed class Lifecycle(RemarketingSystem system) : ContractClients(system.GatewayChannel().CreateCallInvoker())
{
    public Metadata Center => system.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    public Metadata As(string subject, string role) => system.Tokens.Bearer(subject, role);

    public async Task<DateOnly> TodayAsync() => DateOnly.FromDateTime((await NowAsync()).ToDateTime());

    public async Task<Google.Protobuf.WellKnownTypes.Timestamp> NowAsync() =>
        (await Clock.GetClockAsync(new GetClockRequest(), Center)).Now;

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
        await Inspection.AcceptInspectionAsync(new AcceptInspectionRequest { RequestId = Guid.NewGuid().ToString("N"), OrderId = order.OrderId }, inspector);
        report.RequestId = Guid.NewGuid().ToString("N");
        report.OrderId = order.OrderId;
        return await Inspection.SubmitConditionReportAsync(report, inspector);
    }

    /// <summary>The pickup the case's hand-offs ordered, as the remarketing center sees it.</summary>
    public async Task<PickupOrder> PickupAsync(string caseId)
    {
        var ordered = await ReachedAsync(caseId, CaseStep.PickupOrdered);
        return await Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = ordered.Reference }, Center);
    }

    /// <summary>Every order in the remarketing center's queue (its own, the overdue, the disputed), page by page.</summary>
    public async Task<IReadOnlyList<InspectionOrder>> CentersQueueAsync()
    {
        var orders = new List<InspectionOrder>();
        var token = "";
        do
        {
            var page = await Inspection.ListPendingAsync(new ListPendingRequest { Page = new() { PageSize = 200, PageToken = token } }, Center);
            orders.AddRange(page.Orders);
            token = page.Page.NextPageToken;
        }
        while (token.Length > 0);
        return orders;
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
