using Remarketing.Contracts;
using Remarketing.Contracts.Inspection.V1;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The third-party inspection companies: each looks at its open orders, accepts those of the
/// simulation's vehicles at the vehicle's planned pace, and reports what it sees.
/// </summary>
public sealed class Inspectors(Cast cast)
{
    private readonly HashSet<string> _booked = new(StringComparer.Ordinal);

    public Task LookForOrdersAsync(string company, CancellationToken cancellationToken) =>
        cast.TryAsync($"{company}: list open orders", async () =>
        {
            var headers = await cast.Gateway.AsAsync(company, RoleNames.Inspector, cancellationToken);
            var open = await cast.Gateway.Inspection.ListInspectionOrdersAsync(new ListInspectionOrdersRequest { Page = new() { PageSize = 200 } }, headers, cancellationToken: cancellationToken);
            foreach (var order in open.Orders)
            {
                if (cast.Seen.ByCase(order.CaseId) is not { } story || !_booked.Add(order.OrderId))
                    continue;
                cast.Seen.Update(story, seen =>
                {
                    seen.InspectionOrderId = order.OrderId;
                    if (seen.Stage == Stage.HeldForDealerPurchase)
                        seen.Stage = Stage.AwaitingInspection;
                });
                var acceptAt = ContractMessages.At(order.OrderedAt) + story.Plan.Pace.InspectorAccepts;
                cast.At(acceptAt, $"inspect:{story.Plan.Index:D6}", token => AcceptAsync(company, story, order.OrderId, token));
            }
        });

    private Task AcceptAsync(string company, VehicleStory story, string orderId, CancellationToken cancellationToken) =>
        cast.TryAsync($"{company}: accept the inspection of {story.Plan.Lease.Vin}", async () =>
        {
            var headers = await cast.Gateway.AsAsync(company, RoleNames.Inspector, cancellationToken);
            await cast.Gateway.Inspection.AcceptInspectionAsync(new AcceptInspectionRequest { RequestId = $"{orderId}/accept", OrderId = orderId }, headers, cancellationToken: cancellationToken);
            cast.At(cast.Now + story.Plan.Pace.InspectorReports, $"inspect:{story.Plan.Index:D6}", token => ReportAsync(company, story, orderId, token));
        });

    private Task ReportAsync(string company, VehicleStory story, string orderId, CancellationToken cancellationToken) =>
        cast.TryAsync($"{company}: report on {story.Plan.Lease.Vin}", async () =>
        {
            var headers = await cast.Gateway.AsAsync(company, RoleNames.Inspector, cancellationToken);
            var report = await cast.Gateway.Inspection.SubmitConditionReportAsync(ContractMessages.Report(story.Plan, orderId), headers, cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen =>
            {
                seen.Eligible = report.AuctionEligible;
                seen.GradeTenths = report.ConditionGradeTenths;
                if (seen.Stage == Stage.AwaitingInspection)
                    seen.Stage = Stage.Inspected;
            });
        });
}
