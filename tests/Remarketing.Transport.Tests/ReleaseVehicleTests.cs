namespace Remarketing.Transport.Tests;

/// <summary>The vehicle leaves the lot only against the matching document, exactly once; every refused attempt is recorded and changes nothing else.</summary>
[Collection(RedisCollection.Name)]
public sealed class ReleaseVehicleTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task BuyerPickup_WithItsProofOfSale_IsReleasedExactlyOnce()
    {
        var order = await _transport.NewBuyerPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(1));

        var released = await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
        var again = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId));

        Assert.Equal(PickupOrderState.Released, released.State);
        Assert.Equal(TestTransport.Start.AddDays(1), released.ReleasedAt.ToDateTimeOffset());
        Assert.Contains("was already released", again.Message);
        var stored = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal(0, stored.RefusedReleaseCount);
        Assert.Single(await _transport.HandOffsAsync(order.CaseId), handOff => handOff.Step == CaseStep.Released);
    }

    [Fact]
    public async Task TransporterPickup_WithTheAssignedCarriersBillOfLading_IsReleased()
    {
        var order = await _transport.NewAssignedPickupAsync();

        var released = await _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId);

        Assert.Equal(PickupOrderState.Released, released.State);
        Assert.Equal(_transport.Carrier.Subject, released.CarrierId);
    }

    [Fact]
    public async Task ARepeatWithTheSameRequestId_ReturnsTheFirstAnswer()
    {
        var order = await _transport.NewBuyerPickupAsync();
        var request = TestTransport.Release(order.OrderId, order.ProofOfSaleId);

        var first = await _transport.Calls.ReleaseAsync(_transport.Dealer, request);
        _transport.Clock.Advance(TimeSpan.FromHours(5));
        var again = await _transport.Calls.ReleaseAsync(_transport.Dealer, request);

        Assert.Equal(first, again);
        Assert.Single(await _transport.HandOffsAsync(order.CaseId), handOff => handOff.Step == CaseStep.Released);
    }

    [Fact]
    public async Task ReleasedAtOnce_UnderConcurrentTries_WithDifferentRequestIds()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var tries = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
                return true;
            }
            catch (DomainException refusal) when (refusal.Kind == DomainErrorKind.FailedPrecondition)
            {
                return false;
            }
        }));

        Assert.Single(tries, released => released);
        Assert.Single(await _transport.HandOffsAsync(order.CaseId), handOff => handOff.Step == CaseStep.Released);
    }

    [Fact]
    public async Task AWrongDocument_IsPermissionDenied_TheOrderUnchanged_TheAttemptRecorded()
    {
        var order = await _transport.NewBuyerPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromHours(1));

        var refusal = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, "POS-made-up"));

        Assert.Equal($"the document presented does not release the vehicle of pickup order {order.OrderId}: release it only against the buyer's proof of sale", refusal.Message);
        var after = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal(order.State, after.State);
        Assert.Null(after.ReleasedAt);
        Assert.Equal(1, after.RefusedReleaseCount);
        var recorded = Assert.Single(after.RefusedReleases);
        Assert.Equal((_transport.Dealer.Subject, TestTransport.Start.AddHours(1)), (recorded.DealerId, recorded.At.ToDateTimeOffset()));
        Assert.Equal("a document that is not the buyer's proof of sale", recorded.Reason);
        Assert.Equal(Unchanged(order), Unchanged(after));
    }

    [Fact]
    public async Task AnotherOrdersDocument_IsPermissionDenied_AndRecordedAsAnotherOrders()
    {
        var order = await _transport.NewAssignedPickupAsync();
        var other = await _transport.NewBuyerPickupAsync();
        var otherBill = await _transport.NewAssignedPickupAsync();

        var withProof = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, other.ProofOfSaleId));
        var withBill = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, otherBill.BillOfLadingId));

        // The dealer is not told the document is another order's: the same answer as any wrong one.
        Assert.Equal(withProof.Message, withBill.Message);
        Assert.DoesNotContain(other.OrderId, withProof.Message);
        var after = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal(PickupOrderState.ReadyForPickup, after.State);
        Assert.Equal(
            [$"a document of another pickup order ({other.OrderId}) instead of the assigned carrier's bill of lading",
             $"a document of another pickup order ({otherBill.OrderId}) instead of the assigned carrier's bill of lading"],
            after.RefusedReleases.Select(refused => refused.Reason));
        Assert.Equal(PickupOrderState.ReadyForPickup, (await _transport.AsCenterAsync(other.OrderId)).State);
        Assert.Equal(PickupOrderState.ReadyForPickup, (await _transport.AsCenterAsync(otherBill.OrderId)).State);
    }

    [Fact]
    public async Task AMissingDocument_IsInvalidArgument_AndChangesNothing()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _transport.ReleaseAsync(order.OrderId, "  "));

        Assert.Contains("document_id is required", refusal.Message);
        Assert.Equal(order, await _transport.AsCenterAsync(order.OrderId));
        Assert.DoesNotContain(await _transport.HandOffsAsync(order.CaseId), handOff => handOff.Step == CaseStep.ReleaseRefused);
    }

    [Fact]
    public async Task AnExpiredBillOfLading_IsFailedPrecondition_AndRecorded()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(7));

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId));

        Assert.Contains("the bill of lading presented expired at", refusal.Message);
        var after = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal((PickupOrderState.ReadyForPickup, 1), (after.State, after.RefusedReleaseCount));
        Assert.StartsWith("the carrier's bill of lading, expired at", after.RefusedReleases[0].Reason);
    }

    [Fact]
    public async Task TheBillOfLading_StillReleases_TheMomentBeforeItExpires()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromTicks(1));

        var released = await _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId);

        Assert.Equal(PickupOrderState.Released, released.State);
    }

    [Fact]
    public async Task AReplacedBillOfLading_IsFailedPrecondition_TheNewOneReleases()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(8));
        var renewed = await _transport.AssignAsync(order.OrderId, _transport.Carrier);

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId));
        var released = await _transport.ReleaseAsync(order.OrderId, renewed.BillOfLadingId);

        Assert.Contains("has been replaced", refusal.Message);
        Assert.Equal(PickupOrderState.Released, released.State);
    }

    [Fact]
    public async Task AnOrderAwaitingACarrier_IsFailedPrecondition_AndRecorded()
    {
        var order = await _transport.NewTransporterPickupAsync();

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.ReleaseAsync(order.OrderId, "BOL-0123"));

        Assert.Contains("has no carrier yet", refusal.Message);
        var after = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal((PickupOrderState.AwaitingCarrier, 1), (after.State, after.RefusedReleaseCount));
    }

    [Fact]
    public async Task AnotherDealer_GetsNotFound_ExactlyAsForAMissingOrder_AndNothingIsRecorded()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var others = await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ReleaseAsync(_transport.OtherDealer, TestTransport.Release(order.OrderId, order.ProofOfSaleId)));
        var missing = await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ReleaseAsync(_transport.OtherDealer, TestTransport.Release("P-0000", order.ProofOfSaleId)));

        Assert.Equal($"no pickup order {order.OrderId}", others.Message);
        Assert.Equal("no pickup order P-0000", missing.Message);
        Assert.Equal(order, await _transport.AsCenterAsync(order.OrderId));
    }

    [Fact]
    public async Task ARefusedAttempt_RetriedWithTheSameRequestId_IsRefusedAgain_AndRecordedOnce()
    {
        var order = await _transport.NewBuyerPickupAsync();
        var request = TestTransport.Release(order.OrderId, "POS-wrong");

        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.Calls.ReleaseAsync(_transport.Dealer, request));
        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.Calls.ReleaseAsync(_transport.Dealer, request));

        Assert.Equal(1, (await _transport.AsCenterAsync(order.OrderId)).RefusedReleaseCount);
        // The same request id with the right document is another request: refused as such, nothing released.
        var reused = await RefusedAsync(DomainErrorKind.InvalidArgument,
            () => _transport.Calls.ReleaseAsync(_transport.Dealer, new ReleaseVehicleRequest(request) { DocumentId = order.ProofOfSaleId }));
        Assert.Contains("was already used for a different", reused.Message);
        Assert.Equal(PickupOrderState.ReadyForPickup, (await _transport.AsCenterAsync(order.OrderId)).State);
    }

    [Fact]
    public async Task ARecordedAttempt_NeverHoldsTheRightDocument()
    {
        var order = await _transport.NewAssignedPickupAsync();
        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId + "0"));
        _transport.Clock.Advance(TimeSpan.FromDays(7));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId));

        var after = await _transport.AsCenterAsync(order.OrderId);
        var handOffs = await _transport.HandOffsAsync(order.CaseId);

        Assert.Equal(2, after.RefusedReleases.Count);
        Assert.DoesNotContain(order.BillOfLadingId, after.RefusedReleases.ToString());
        Assert.Equal(2, handOffs.Count(handOff => handOff.Step == CaseStep.ReleaseRefused));
        Assert.DoesNotContain(handOffs, handOff => handOff.ToString().Contains(order.BillOfLadingId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRefusalIsCounted_TheLatestFiftyListed_TheFirstFiftyHandedOff()
    {
        var order = await _transport.NewBuyerPickupAsync();

        for (var attempt = 1; attempt <= 52; attempt++)
            await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, $"POS-guess-{attempt}"));

        var after = await _transport.AsCenterAsync(order.OrderId);
        Assert.Equal((52, 50), (after.RefusedReleaseCount, after.RefusedReleases.Count));
        Assert.Equal(50, (await _transport.HandOffsAsync(order.CaseId)).Count(handOff => handOff.Step == CaseStep.ReleaseRefused));
        var released = await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
        Assert.Equal(PickupOrderState.Released, released.State);
    }

    /// <summary>The order without its record of refused releases: what a refused release must leave as it was.</summary>
    private static PickupOrder Unchanged(PickupOrder order)
    {
        var copy = order.Clone();
        copy.RefusedReleaseCount = 0;
        copy.RefusedReleases.Clear();
        return copy;
    }
}
