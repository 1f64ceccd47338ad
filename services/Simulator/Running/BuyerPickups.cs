using Remarketing.Contracts;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Simulator.Running;

/// <summary>A buying dealer's side of a sale after it: its pickups found, each collected against its proof of sale (now and then after showing the wrong document), and delivery confirmed.</summary>
public sealed class BuyerPickups(Cast cast, string dealerId, int order, GroundingDealers dealers)
{
    private readonly HashSet<string> _collecting = new(StringComparer.Ordinal);
    private readonly List<string> _proofs = [];

    /// <summary>The dealer's pickups (its proofs of sale): each ready one is collected at the vehicle's pace.</summary>
    public Task LookAsync(CancellationToken cancellationToken) =>
        cast.TryAsync($"{dealerId}: list pickups", async () =>
        {
            var ready = await cast.Gateway.Transport.ListPickupOrdersAsync(
                new ListPickupOrdersRequest { State = PickupOrderState.ReadyForPickup, Page = new() { PageSize = 200 } }, await cast.Gateway.AsAsync(dealerId, RoleNames.Buyer, cancellationToken), cancellationToken: cancellationToken);
            foreach (var pickup in ready.Orders)
            {
                // A buyer is not shown the lender's case id: its pickup names the vehicle.
                if (cast.Seen.ByVin(pickup.Vehicle.Vin) is not { } story || !_collecting.Add(pickup.OrderId))
                    continue;
                _proofs.Add(pickup.ProofOfSaleId);
                cast.Seen.Update(story, seen =>
                {
                    seen.PickupOrderId = pickup.OrderId;
                    seen.Document = pickup.ProofOfSaleId;
                    seen.BuyerId = dealerId;
                    seen.Stage = Stage.AwaitingPickup;
                });
                cast.At(cast.Now + story.Plan.Pace.PickerArrives, $"buyer:{order:D3}:collect:{story.Plan.Index:D6}", token => CollectAsync(story, token));
            }
        });

    private async Task CollectAsync(VehicleStory story, CancellationToken cancellationToken)
    {
        var proof = story.Document!;
        var wrong = story.Plan.Pace.WrongDocumentFirst ? WrongDocument.For(proof, _proofs) : null;
        if (!await dealers.ReleaseAsync(story, proof, wrong, cancellationToken))
            return;
        cast.At(cast.Now + story.Plan.Pace.DeliveryTakes, $"buyer:{order:D3}:collect:{story.Plan.Index:D6}", token => cast.TryAsync($"{dealerId}: confirm delivery of {story.Plan.Lease.Vin}", async () =>
        {
            var orderId = story.PickupOrderId!;
            await cast.Gateway.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = $"{orderId}/deliver", OrderId = orderId }, await cast.Gateway.AsAsync(dealerId, RoleNames.Buyer, token), cancellationToken: token);
            cast.Seen.Update(story, seen => seen.Stage = Stage.Delivered);
        }));
    }
}
