using System.Globalization;
using Microsoft.Extensions.Options;
using Remarketing.Inspection.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.Inspection;

/// <summary>
/// The Inspection service's operations, on plain values: who may see and do what with an order,
/// the schedule on the shared clock, and the condition report judged by the configured wear
/// standard, eligibility rule and pricing policy. Every refusal throws before anything is written;
/// an order another inspector or dealer holds answers like a missing one.
/// </summary>
public sealed class InspectionDesk(InspectionStore store, TimeProvider clock, IOptions<InspectionOptions> options)
{
    public const long MaximumOdometerMiles = 2_000_000;
    public const int MaximumSizeTenthsInch = 1_000;
    public const int MaximumTread32nds = 32;

    private InspectionOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Orders the inspection of a case, once per case however often it is asked: a repeat answers with the order there is.</summary>
    public async Task<InspectionOrderRecord> ScheduleAsync(Caller caller, OrderSchedule ask)
    {
        Ids.Required(ask.CaseId, "case_id");
        Ids.Required(ask.GroundingDealerId, "grounding_dealer_id");
        if (Vin.Problem(ask.Vehicle.Vin) is { } vinProblem)
            throw DomainException.InvalidArgument($"vehicle.vin: {vinProblem}");
        var state = ask.DealerState.Trim().ToUpperInvariant();
        if (!UsStates.IsState(state))
            throw DomainException.InvalidArgument($"dealer_state '{ask.DealerState}' is not a two-letter US state code");
        if (ask.OdometerMiles is < 0 or > MaximumOdometerMiles)
            throw DomainException.InvalidArgument($"odometer_miles must be between 0 and {MaximumOdometerMiles:N0}");
        if (ask.ResidualValueCents < 0)
            throw DomainException.InvalidArgument("residual_value_cents cannot be negative");

        var now = Now;
        var orderId = OrderIdOf(ask.CaseId);
        return await store.ChangeAsync(orderId, IdempotentRequest.Of("ScheduleInspection", caller, ask.RequestId, ask), existing =>
        {
            if (existing is not null)
                return new OrderChange<InspectionOrderRecord>(existing, existing);
            var noInspection = Options.NoInspectionStates.Contains(state, StringComparer.Ordinal);
            var order = new InspectionOrderRecord(orderId, ask.CaseId, ask.AccountId, ask.Vehicle, ask.GroundingDealerId, state, ask.OdometerMiles,
                ask.EarlyTermination, ask.ResidualValueCents, ask.Reason,
                noInspection ? OrderState.RemarketingCenter : OrderState.Open, now, now + Options.InspectionWindow,
                noInspection ? "" : CompanyFor(ask.CaseId),
                noInspection ? $"no third-party inspection is offered in {state}: the remarketing center inspects and disposes of the vehicle" : "")
            {
                Journey = Journey.Current,
            };
            var step = noInspection
                ? new InspectionHandOff.JourneyStepReached(order, JourneyStep.QueuedForRemarketingCenter, now, order.RemarketingCenterReason)
                : new InspectionHandOff.JourneyStepReached(order, JourneyStep.InspectionScheduled, now,
                    $"inspection by {(order.InspectionCompany.Length > 0 ? order.InspectionCompany : "any inspection company")} due by {order.DueBy:yyyy-MM-dd HH:mm} UTC");
            return new OrderChange<InspectionOrderRecord>(order, order) { HandOffs = [step] };
        });
    }

    public async Task<InspectionOrderRecord> GetOrderAsync(Caller caller, string orderId) => Visible(caller, await FindOrderAsync(orderId), orderId);

    /// <summary>Orders in a state (open by default), oldest first: an inspector sees its own company's, the remarketing center all.</summary>
    public async Task<(IReadOnlyList<InspectionOrderRecord> Orders, string NextPageToken)> ListOrdersAsync(Caller caller, OrderState? state, int pageSize, string pageToken)
    {
        // An inspector pages through its own company's orders (an inspector's subject is its company):
        // filtering a page of everyone's would hand it short or empty pages.
        var (orders, next) = await store.PageAsync(state ?? OrderState.Open, pageSize, pageToken, InspectionAccess.CompanyOf(caller));
        return (orders.Where(order => InspectionAccess.MaySee(caller, order)).ToList(), next);
    }

    /// <summary>The remarketing center's queue: orders it must handle itself (no inspection in the state), then every overdue order.</summary>
    public async Task<(IReadOnlyList<PendingOrder> Orders, string NextPageToken)> ListPendingAsync(int pageSize, string pageToken)
    {
        // One token over three lists: "c<offset>" in the center's own list, then "o<offset>" in the
        // overdue ones, then "d": the disputed ones, on one page (the failed hand-offs are few).
        if (pageToken.Length > 0 && pageToken[0] is not ('c' or 'o' or 'd'))
            throw DomainException.InvalidArgument("page_token is not one this service gave out; pass next_page_token as it came");
        var position = pageToken.Length == 0 ? "" : pageToken[1..];
        switch (pageToken.Length == 0 ? 'c' : pageToken[0])
        {
            case 'c':
                var (own, next) = await store.PageAsync(OrderState.RemarketingCenter, pageSize, position);
                return ([.. own.Select(order => new PendingOrder(order))], next.Length > 0 ? "c" + next : "o");
            case 'o':
                var (overdue, following) = await store.OverduePageAsync(Now, pageSize, position);
                return ([.. overdue.Select(order => new PendingOrder(order))], following.Length > 0 ? "o" + following : "d");
            default:
                return (await store.DisputedAsync(MostDisputed), "");
        }
    }

    /// <summary>Disputed orders listed at the most: the failed hand-offs show any beyond.</summary>
    private const int MostDisputed = 500;

    /// <summary>The inspector takes an open order of its company. A repeat by the same inspector answers with the order as it is.</summary>
    public async Task<InspectionOrderRecord> AcceptAsync(Caller inspector, string requestId, string orderId)
    {
        Ids.Required(orderId, "order_id");
        var now = Now;
        return await store.ChangeAsync(orderId, IdempotentRequest.Of("AcceptInspection", inspector, requestId, orderId), stored =>
        {
            var order = Visible(inspector, stored, orderId);
            if (order.State == OrderState.Accepted && order.InspectorId == inspector.Subject)
                return new OrderChange<InspectionOrderRecord>(order, order);
            if (order.State != OrderState.Open)
                throw DomainException.FailedPrecondition($"inspection order {orderId} is {Describe(order.State)}: only an open order can be accepted");
            var accepted = order with { State = OrderState.Accepted, InspectorId = inspector.Subject };
            return new OrderChange<InspectionOrderRecord>(accepted, accepted)
            {
                HandOffs = [new InspectionHandOff.JourneyStepReached(accepted, JourneyStep.InspectionAccepted, now, $"accepted by {inspector.Subject}")],
            };
        });
    }

    /// <summary>
    /// The condition report of an accepted order (its inspector), or of an order the remarketing
    /// center handles itself (the center). Decides the excess wear, grade, eligibility and price,
    /// and hands off: the result to Quote, then the vehicle to Auction if eligible, else to Transport.
    /// </summary>
    public async Task<ConditionReportRecord> SubmitReportAsync(Caller caller, ReportSubmission submission)
    {
        Ids.Required(submission.OrderId, "order_id");
        var seen = submission.Observations;
        if ((Problem(seen) ?? Options.WearStandard.Problem(seen)) is { } problem)
            throw DomainException.InvalidArgument(problem);

        var now = Now;
        return await store.ChangeAsync(submission.OrderId, IdempotentRequest.Of("SubmitConditionReport", caller, submission.RequestId, submission), stored =>
        {
            var order = Visible(caller, stored, submission.OrderId);
            if (!InspectionAccess.MayReport(caller, order))
            {
                throw DomainException.FailedPrecondition(order.State == OrderState.Reported
                    ? $"inspection order {order.OrderId} already has its condition report ({order.ConditionReportId})"
                    : InspectionAccess.IsCenter(caller)
                        ? $"inspection order {order.OrderId} is {Describe(order.State)}: the remarketing center reports only on the orders in its own queue"
                        : $"inspection order {order.OrderId} is {Describe(order.State)}: accept it first (AcceptInspection)");
            }

            var report = Judge(order, seen, caller.Subject, now);
            var reported = order with { State = OrderState.Reported, ConditionReportId = report.ReportId };
            InspectionHandOff disposal = report.Eligible
                ? new InspectionHandOff.ListingToAuction(reported, report, Options.Pricing.ListingWindow)
                : new InspectionHandOff.PickupToTransport(reported, report, Options.IneligibleDestination);
            // The vehicle is listed or collected only once Quote has taken the result: a result Quote
            // refuses (an odometer far below the signed statement) holds the car until it is corrected and replayed.
            return new OrderChange<ConditionReportRecord>(reported, report)
            {
                Report = report,
                HandOffs = [new InspectionHandOff.ResultToQuote(reported, report, disposal)],
            };
        });
    }

    /// <summary>A report: buyers read those of vehicles on sale, the dealer those of its lot, inspectors their own.</summary>
    public async Task<ConditionReportRecord> GetReportAsync(Caller caller, string reportId)
    {
        Ids.Required(reportId, "condition_report_id");
        var report = await store.FindReportAsync(reportId);
        return report is not null && InspectionAccess.MaySee(caller, report) ? report : throw DomainException.NotFound($"no condition report {reportId}");
    }

    /// <summary>The findings, grade, eligibility and price of what the inspector saw.</summary>
    public ConditionReportRecord Judge(InspectionOrderRecord order, Observations seen, string inspectorId, DateTimeOffset at)
    {
        var standard = Options.WearStandard;
        var findings = standard.Assess(seen);
        var grade = standard.Grade(seen, findings);
        var (eligible, reasons) = Options.Eligibility.Decide(seen, grade);
        var price = eligible ? Options.Pricing.Price(order.ResidualValueCents, grade) : ListingPrice.None;
        return new ConditionReportRecord($"CR-{order.OrderId[3..]}", order.OrderId, order.CaseId, order.GroundingDealerId, order.Vehicle, seen.OdometerMiles,
            grade, findings, eligible, reasons, price, inspectorId, at);
    }

    /// <summary>An order's id follows from its case: one order per case, whoever asks and however often.</summary>
    public static string OrderIdOf(string caseId) => "IO-" + CompositeKey.Hashed("inspection-order", caseId)[..20];

    private string CompanyFor(string caseId)
    {
        var companies = Options.Companies;
        return companies.Count == 0 ? "" : companies[(int)(uint.Parse(CompositeKey.Hashed("company", caseId)[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture) % companies.Count)];
    }

    private async Task<InspectionOrderRecord?> FindOrderAsync(string orderId) =>
        string.IsNullOrWhiteSpace(orderId) ? throw DomainException.InvalidArgument("order_id is required") : await store.FindOrderAsync(orderId);

    private static InspectionOrderRecord Visible(Caller caller, InspectionOrderRecord? order, string orderId) =>
        order is not null && InspectionAccess.MaySee(caller, order) ? order : throw DomainException.NotFound($"no inspection order {orderId}");

    private static string? Problem(Observations seen)
    {
        if (seen.OdometerMiles is <= 0 or > MaximumOdometerMiles)
            return $"odometer_miles must be between 1 and {MaximumOdometerMiles:N0}";
        if (seen.Damage.FirstOrDefault(damage => string.IsNullOrWhiteSpace(damage.Panel)) is not null)
            return "every damage observation needs its panel (where on the vehicle, e.g. \"left rear door\")";
        if (seen.Damage.FirstOrDefault(damage => damage.SizeTenthsInch is <= 0 or > MaximumSizeTenthsInch) is { } badSize)
            return $"damage on {badSize.Panel}: size_tenths_inch must be between 1 and {MaximumSizeTenthsInch}";
        if (seen.Tires.Count > 5)
            return "at most 5 tires (four and the spare)";
        if (seen.Tires.FirstOrDefault(tire => string.IsNullOrWhiteSpace(tire.Position) || tire.Tread32nds is < 0 or > MaximumTread32nds) is { } tire)
            return $"tire '{tire.Position}': a position and a tread of 0-{MaximumTread32nds}/32 in are required";
        if (seen.Tires.GroupBy(reading => reading.Position.Trim().ToUpperInvariant()).FirstOrDefault(group => group.Count() > 1) is { } twice)
            return $"tire {twice.Key} is reported twice";
        if (seen.Glass.FirstOrDefault(glass => string.IsNullOrWhiteSpace(glass.Location) || glass.SizeTenthsInch is <= 0 or > MaximumSizeTenthsInch) is { } glass)
            return $"glass '{glass.Location}': a location and a size of 1-{MaximumSizeTenthsInch} tenths of an inch are required";
        if (seen.Missing.FirstOrDefault(item => item.Count is < 0 or > 20) is { } count)
            return $"missing {count.Item}: a count of 0-20 (0 means 1)";
        return null;
    }

    private static string Describe(OrderState state) => state switch
    {
        OrderState.Open => "open",
        OrderState.Accepted => "accepted by an inspector",
        OrderState.Reported => "reported",
        _ => "with the remarketing center",
    };
}
