using Microsoft.Extensions.Time.Testing;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.HandOffs;

namespace Remarketing.Inspection.Tests;

/// <summary>The Inspection desk on real Redis with a fake clock: who may do what with an order, and bad input that changes nothing.</summary>
[Collection(RedisCollection.Name)]
public sealed class InspectionDeskTests(RedisConnectionFixture redis) : IDisposable
{
    private static readonly Caller Quote = new("quote", RoleNames.Service);
    private static readonly Caller Center = new("RC-1", RoleNames.Remarketing);
    private static readonly Caller Acme = new("INSP-ACME", RoleNames.Inspector);
    private static readonly Caller Other = new("INSP-OTHER", RoleNames.Inspector);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero));
    private readonly Outbox _outbox = new("inspection");

    private InspectionDesk Desk => new(new InspectionStore(redis.Connection, _outbox), _clock, Microsoft.Extensions.Options.Options.Create(new InspectionOptions
    {
        NoInspectionStates = ["AK", "HI", "SD"],
        Companies = ["INSP-ACME"],
    }));

    public void Dispose() => _outbox.Dispose();

    private static OrderSchedule Schedule(string state = "OH") => new(
        Guid.NewGuid().ToString("N"), "C-" + Guid.NewGuid().ToString("N")[..12], "A-1", new InspectedVehicle(TestVins.Next(), 2025, "Honda", "Accord", "EX"),
        "D-100", state, 30_000, false, 18_000_00, "lessee_return");

    private static ReportSubmission Report(string orderId, long odometer = 30_000) =>
        new(Guid.NewGuid().ToString("N"), orderId, new Observations(odometer, [], [new("LF", 6)], [], [], false, false, false));

    [Fact]
    public async Task ScheduleInspection_DueWithinTheWindow_AssignedToItsCompany_OncePerCase()
    {
        var ask = Schedule();
        var order = await Desk.ScheduleAsync(Quote, ask);
        var again = await Desk.ScheduleAsync(Center, ask with { RequestId = "another" });

        Assert.Equal((OrderState.Open, "INSP-ACME", _clock.GetUtcNow() + TimeSpan.FromDays(3)), (order.State, order.InspectionCompany, order.DueBy));
        Assert.Equal(order.OrderId, again.OrderId);
    }

    [Theory]
    [InlineData("AK")]
    [InlineData("HI")]
    [InlineData("SD")]
    public async Task ScheduleInspection_InAlaskaHawaiiOrSouthDakota_GoesToTheRemarketingCenter(string state)
    {
        var order = await Desk.ScheduleAsync(Quote, Schedule(state));
        var (pending, _) = await Desk.ListPendingAsync(200, "");

        Assert.Equal(OrderState.RemarketingCenter, order.State);
        Assert.Contains(state, order.RemarketingCenterReason, StringComparison.Ordinal);
        Assert.Contains(pending, queued => queued.Order.OrderId == order.OrderId);
    }

    [Fact]
    public async Task ListPending_ShowsEveryOverdueInspection()
    {
        var order = await Desk.ScheduleAsync(Quote, Schedule());
        _clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));

        var pending = new List<InspectionOrderRecord>();
        var token = "";
        do
        {
            var (page, next) = await Desk.ListPendingAsync(200, token);
            pending.AddRange(page.Select(queued => queued.Order));
            token = next;
        }
        while (token.Length > 0);

        Assert.True(Assert.Single(pending, overdue => overdue.OrderId == order.OrderId).IsOverdue(_clock.GetUtcNow()));
    }

    [Theory]
    [InlineData("", "D-100", "OH", "case_id")]
    [InlineData("C-1", "", "OH", "grounding_dealer_id")]
    [InlineData("C-1", "D-100", "XX", "dealer_state")]
    public async Task ScheduleInspection_WithoutWhatItNeeds_IsRefused(string caseId, string dealer, string state, string named)
    {
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => Desk.ScheduleAsync(Quote, Schedule() with { CaseId = caseId, GroundingDealerId = dealer, DealerState = state }));

        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListInspectionOrders_AnInspectorPagesThroughItsOwnCompanysOrders_InFullPages()
    {
        var desk = new InspectionDesk(new InspectionStore(redis.Connection, _outbox), _clock, Microsoft.Extensions.Options.Options.Create(new InspectionOptions
        {
            NoInspectionStates = ["AK", "HI", "SD"],
            Companies = [Acme.Subject, Other.Subject],
        }));
        var scheduled = new List<InspectionOrderRecord>();
        for (var order = 0; order < 20; order++)
            scheduled.Add(await desk.ScheduleAsync(Quote, Schedule()));
        var acmes = scheduled.Where(order => order.InspectionCompany == Acme.Subject).Select(order => order.OrderId).ToHashSet();
        await desk.AcceptAsync(Acme, Guid.NewGuid().ToString("N"), acmes.First());

        var pages = new List<IReadOnlyList<InspectionOrderRecord>>();
        var token = "";
        do
        {
            var (page, next) = await desk.ListOrdersAsync(Acme, OrderState.Open, 2, token);
            pages.Add(page);
            token = next;
        }
        while (token.Length > 0);
        var (accepted, _) = await desk.ListOrdersAsync(Acme, OrderState.Accepted, 50, "");
        var (othersAccepted, _) = await desk.ListOrdersAsync(Other, OrderState.Accepted, 50, "");

        Assert.InRange(acmes.Count, 2, 18);
        Assert.All(pages.SkipLast(1), page => Assert.Equal(2, page.Count));
        Assert.Equal(acmes.Skip(1).Order(), pages.SelectMany(page => page).Select(order => order.OrderId).Where(acmes.Contains).Order());
        Assert.All(pages.SelectMany(page => page), order => Assert.Equal(Acme.Subject, order.InspectionCompany));
        Assert.Contains(accepted, order => order.OrderId == acmes.First());
        Assert.DoesNotContain(othersAccepted, order => acmes.Contains(order.OrderId));
    }

    [Fact]
    public async Task AnotherCompanysInspector_CannotSeeAcceptOrReport_TheOrder()
    {
        var order = await Desk.ScheduleAsync(Quote, Schedule());

        await RefusedAsync(DomainErrorKind.NotFound, () => Desk.GetOrderAsync(Other, order.OrderId));
        await RefusedAsync(DomainErrorKind.NotFound, () => Desk.AcceptAsync(Other, "r-1", order.OrderId));
        await Desk.AcceptAsync(Acme, "r-2", order.OrderId);
        await RefusedAsync(DomainErrorKind.NotFound, () => Desk.SubmitReportAsync(Other, Report(order.OrderId)));
        Assert.Equal(OrderState.Accepted, (await Desk.GetOrderAsync(Center, order.OrderId)).State);
    }

    [Fact]
    public async Task SubmitConditionReport_BeforeAcceptingOrTwice_IsRefused_AndBadInputChangesNothing()
    {
        var order = await Desk.ScheduleAsync(Quote, Schedule());

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => Desk.SubmitReportAsync(Acme, Report(order.OrderId)));
        await Desk.AcceptAsync(Acme, "r-3", order.OrderId);
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => Desk.SubmitReportAsync(Acme, Report(order.OrderId, odometer: 0)));
        var missing = Report(order.OrderId);
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => Desk.SubmitReportAsync(Acme, missing with { Observations = missing.Observations with { Missing = [new("hubcap", 1)] } }));
        Assert.Equal(OrderState.Accepted, (await Desk.GetOrderAsync(Center, order.OrderId)).State);

        var report = await Desk.SubmitReportAsync(Acme, Report(order.OrderId));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => Desk.SubmitReportAsync(Acme, Report(order.OrderId)));
        Assert.True(report.Eligible);
    }
}
