using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The dealers where lessees return their vehicles: they notify the returns, complete the
/// dealer purchases the scenario plans (within the 72-hour hold), and release each vehicle to
/// whoever comes for it, against the document that person shows.
/// </summary>
public sealed class GroundingDealers(Cast cast, BackOffice center)
{
    private static Task<Metadata> As(Cast cast, VehicleStory story, CancellationToken cancellationToken) =>
        cast.Gateway.AsAsync(story.Plan.Return.GroundingDealerId, RoleNames.GroundingDealer, cancellationToken);

    public Task NotifyReturnAsync(VehicleStory story, CancellationToken cancellationToken) =>
        cast.TryAsync($"notify the return of {story.Plan.Lease.Vin}", async () =>
        {
            var returned = await cast.Gateway.Quote.NotifyReturnAsync(ContractMessages.Return(story.Plan), await As(cast, story, cancellationToken), cancellationToken: cancellationToken);
            cast.Seen.CaseOpened(story, returned.CaseId);
            var held = returned.State == ReturnCaseState.HeldForDealerPurchase;
            cast.Seen.Update(story, seen =>
            {
                seen.Stage = held ? Stage.HeldForDealerPurchase : Stage.AwaitingInspection;
                seen.HoldUntil = held ? ContractMessages.At(returned.HoldUntil) : null;
            });
            if (held && story.Plan.PurchaseCompletesAfter is { } after)
                cast.At(cast.Now + after, $"purchase:{story.Plan.Index:D6}", token => CompletePurchaseAsync(story, token));
        });

    private Task CompletePurchaseAsync(VehicleStory story, CancellationToken cancellationToken) =>
        // Refused once the hold has lapsed: too late to buy.
        cast.TryInTimeAsync($"complete the dealer purchase of {story.Plan.Lease.Vin}", story.HoldUntil ?? DateTimeOffset.MaxValue, async () =>
        {
            var request = new CompleteDealerPurchaseRequest
            {
                RequestId = $"{story.Plan.Lease.AccountId}/purchase",
                CaseId = story.CaseId!,
                ProofOfResaleId = story.Plan.Return.Disposition == LeaseEnd.DealerPurchaseForLessee ? $"RESALE-{story.Plan.Lease.AccountId}" : "",
            };
            await cast.Gateway.Quote.CompleteDealerPurchaseAsync(request, await As(cast, story, cancellationToken), cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen => seen.Stage = Stage.BoughtByDealer);
        });

    /// <summary>
    /// The picker is at the lot: the dealer finds its pickup order for the vehicle and releases it
    /// against the document shown. A picker who shows <paramref name="wrongDocument"/> first is
    /// refused, and the center checks the refusal changed nothing on the order.
    /// </summary>
    public async Task<bool> ReleaseAsync(VehicleStory story, string document, string? wrongDocument, CancellationToken cancellationToken)
    {
        var released = false;
        await cast.TryAsync($"release {story.Plan.Lease.Vin}", async () =>
        {
            var headers = await As(cast, story, cancellationToken);
            var orderId = story.PickupOrderId!;
            if (wrongDocument is not null)
                await PresentWrongDocumentAsync(story, orderId, wrongDocument, headers, cancellationToken);
            var release = new ReleaseVehicleRequest { RequestId = $"{orderId}/release", OrderId = orderId, DocumentId = document };
            var order = await cast.Gateway.Transport.ReleaseVehicleAsync(release, headers, cancellationToken: cancellationToken);
            released = order.State == PickupOrderState.Released;
            cast.Seen.Update(story, seen => seen.Stage = Stage.InTransit);
        });
        return released;
    }

    private async Task PresentWrongDocumentAsync(VehicleStory story, string orderId, string wrongDocument, Metadata headers, CancellationToken cancellationToken)
    {
        var centerHeaders = await center.HeadersAsync(cancellationToken);
        var before = await cast.Gateway.Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = orderId }, centerHeaders, cancellationToken: cancellationToken);
        try
        {
            var wrong = new ReleaseVehicleRequest { RequestId = $"{orderId}/wrong-document", OrderId = orderId, DocumentId = wrongDocument };
            await cast.Gateway.Transport.ReleaseVehicleAsync(wrong, headers, cancellationToken: cancellationToken);
            cast.Seen.Error($"release of {story.Plan.Lease.Vin} against the wrong document was NOT refused");
            cast.Seen.ReleaseRefused(changedSomething: true);
            return;
        }
        catch (RpcException refused) when (refused.StatusCode is StatusCode.PermissionDenied or StatusCode.FailedPrecondition)
        {
            // Refused, as it must be.
        }
        var after = await cast.Gateway.Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = orderId }, centerHeaders, cancellationToken: cancellationToken);
        cast.Seen.ReleaseRefused(changedSomething: !TheSameBesidesTheRefusal(before, after));
    }

    /// <summary>A refused release is recorded on the order (count and entry) and changes nothing else (overdue is the clock's doing).</summary>
    public static bool TheSameBesidesTheRefusal(PickupOrder before, PickupOrder after)
    {
        var unrecorded = after.Clone();
        unrecorded.Overdue = before.Overdue;
        unrecorded.RefusedReleaseCount = before.RefusedReleaseCount;
        unrecorded.RefusedReleases.Clear();
        unrecorded.RefusedReleases.AddRange(before.RefusedReleases);
        return after.RefusedReleaseCount == before.RefusedReleaseCount + 1 && unrecorded.Equals(before);
    }
}
