using Remarketing.Contracts;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The transport companies: each looks at the pickups awaiting a carrier, takes the simulation's
/// vehicles meant for it (getting the bill of lading), comes to the lot with it, and confirms the
/// delivery (to the physical auction, where the center sells it). Now and then a driver first
/// shows the wrong paper: another order's bill of lading.
/// </summary>
public sealed class Carriers(Cast cast, GroundingDealers dealers, BackOffice center)
{
    private readonly HashSet<string> _booked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _bills = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Ids { get; } = Enumerable.Range(1, Math.Max(1, cast.Settings.Carriers)).Select(n => $"CARRIER-{n}").ToList();

    public Task LookForPickupsAsync(string carrier, CancellationToken cancellationToken) =>
        cast.TryAsync($"{carrier}: list pickups awaiting a carrier", async () =>
        {
            var headers = await cast.Gateway.AsAsync(carrier, RoleNames.Transporter, cancellationToken);
            var open = await cast.Gateway.Transport.ListPickupOrdersAsync(
                new ListPickupOrdersRequest { State = PickupOrderState.AwaitingCarrier, Page = new() { PageSize = 200 } }, headers, cancellationToken: cancellationToken);
            foreach (var order in open.Orders)
            {
                if (cast.Seen.ByCase(order.CaseId) is not { } story || Ids[story.Plan.Index % Ids.Count] != carrier || !_booked.Add(order.OrderId))
                    continue;
                cast.Seen.Update(story, seen =>
                {
                    seen.PickupOrderId = order.OrderId;
                    seen.CarrierId = carrier;
                    seen.Stage = Stage.AwaitingPickup;
                });
                var assignAt = ContractMessages.At(order.CreatedAt) + story.Plan.Pace.CarrierAssigns;
                cast.At(assignAt, $"carrier:{story.Plan.Index:D6}", token => AssignAsync(carrier, story, order.OrderId, token));
            }
        });

    private Task AssignAsync(string carrier, VehicleStory story, string orderId, CancellationToken cancellationToken) =>
        cast.TryAsync($"{carrier}: take the pickup of {story.Plan.Lease.Vin}", async () =>
        {
            var headers = await cast.Gateway.AsAsync(carrier, RoleNames.Transporter, cancellationToken);
            var assigned = await cast.Gateway.Transport.AssignCarrierAsync(new AssignCarrierRequest { RequestId = $"{orderId}/assign", OrderId = orderId }, headers, cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen => seen.Document = assigned.BillOfLadingId);
            if (!_bills.TryGetValue(carrier, out var bills))
                _bills[carrier] = bills = [];
            bills.Add(assigned.BillOfLadingId);
            cast.At(cast.Now + story.Plan.Pace.PickerArrives, $"carrier:{story.Plan.Index:D6}", token => CollectAsync(carrier, story, token));
        });

    private async Task CollectAsync(string carrier, VehicleStory story, CancellationToken cancellationToken)
    {
        var document = story.Document!;
        var wrong = story.Plan.Pace.WrongDocumentFirst ? WrongDocument.For(document, _bills.GetValueOrDefault(carrier)) : null;
        if (await dealers.ReleaseAsync(story, document, wrong, cancellationToken))
            cast.At(cast.Now + story.Plan.Pace.DeliveryTakes, $"carrier:{story.Plan.Index:D6}", token => DeliverAsync(carrier, story, token));
    }

    private Task DeliverAsync(string carrier, VehicleStory story, CancellationToken cancellationToken) =>
        cast.TryAsync($"{carrier}: deliver {story.Plan.Lease.Vin}", async () =>
        {
            var headers = await cast.Gateway.AsAsync(carrier, RoleNames.Transporter, cancellationToken);
            var orderId = story.PickupOrderId!;
            await cast.Gateway.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = $"{orderId}/deliver", OrderId = orderId }, headers, cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen => seen.Stage = Stage.Delivered);
            center.SellAtPhysicalAuction(story);
        });
}

/// <summary>The paper a picker shows by mistake: another of its own documents, or its own with one character misread.</summary>
public static class WrongDocument
{
    public static string For(string right, IReadOnlyList<string>? others)
    {
        if (others?.FirstOrDefault(other => other != right) is { } another)
            return another;
        var last = right[^1];
        return right[..^1] + (last == '0' ? '1' : '0');
    }
}
