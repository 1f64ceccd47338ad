namespace Remarketing.Transport.Tests;

/// <summary>Each step of a pickup goes to Quote's RecordCaseEvent through the outbox, written in the change's own transaction.</summary>
[Collection(RedisCollection.Name)]
public sealed class HandOffTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task EveryStep_IsHandedToQuote_WithARequestIdNamingIt_AtTheClocksTime()
    {
        var order = await _transport.NewTransporterPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromHours(1));
        await _transport.AssignAsync(order.OrderId, _transport.Carrier);
        var assigned = await _transport.Calls.GetAsync(_transport.Carrier, order.OrderId);
        _transport.Clock.Advance(TimeSpan.FromHours(1));
        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, "BOL-not-it"));
        _transport.Clock.Advance(TimeSpan.FromHours(1));
        await _transport.ReleaseAsync(order.OrderId, assigned.BillOfLadingId);
        _transport.Clock.Advance(TimeSpan.FromHours(1));
        await _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(order.OrderId));

        var handOffs = await _transport.HandOffsAsync(order.CaseId);

        var prefix = $"transport/order/{order.OrderId}/";
        Assert.Equal(
            [(prefix + "ordered", CaseStep.PickupOrdered, 0), (prefix + "carrier-assigned/1", CaseStep.CarrierAssigned, 1),
             (prefix + "release-refused/1", CaseStep.ReleaseRefused, 2), (prefix + "released", CaseStep.Released, 3), (prefix + "delivered", CaseStep.Delivered, 4)],
            handOffs.Select(handOff => (handOff.RequestId, handOff.Step, (int)(handOff.At.ToDateTimeOffset() - TestTransport.Start).TotalHours)));
        Assert.All(handOffs, handOff => Assert.Equal((order.CaseId, order.OrderId), (handOff.CaseId, handOff.Reference)));
        Assert.All(handOffs, handOff => Assert.DoesNotContain(assigned.BillOfLadingId, handOff.Detail, StringComparison.Ordinal));
        Assert.Contains(_transport.Carrier.Subject, handOffs[1].Detail);
        Assert.Contains("not the assigned carrier's bill of lading", handOffs[2].Detail);
    }

    [Fact]
    public async Task ABuyerPickup_HandsOffItsOrderWithTheBuyer_NeverItsProofOfSale()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);

        var handOffs = await _transport.HandOffsAsync(order.CaseId);

        Assert.Equal([CaseStep.PickupOrdered, CaseStep.Released], handOffs.Select(handOff => handOff.Step));
        Assert.Contains(_transport.Buyer.Subject, handOffs[0].Detail);
        Assert.All(handOffs, handOff => Assert.DoesNotContain(order.ProofOfSaleId, handOff.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheHandOff_IsAnOperationQuoteTakes_ByItsPath()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var entry = (await _transport.Redis.GetDatabase().StreamRangeAsync(_transport.Outbox.Pending))
            .Single(candidate => (string)candidate[HandOffField.Id]! == $"transport/order/{order.OrderId}/ordered");

        Assert.Equal("/remarketing.quote.v1.QuoteService/RecordCaseEvent", (string)entry[HandOffField.Operation]!);
        Assert.Equal("transport:{transport}:outbox", (string)_transport.Outbox.Pending!);
    }

    [Fact]
    public async Task ARefusalThatChangesNothing_HandsOffNothing()
    {
        var order = await _transport.NewBuyerPickupAsync();

        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ReleaseAsync(_transport.OtherDealer, TestTransport.Release(order.OrderId, "POS-x")));
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _transport.ReleaseAsync(order.OrderId, ""));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, TestTransport.Delivery(order.OrderId)));

        Assert.Equal([CaseStep.PickupOrdered], (await _transport.HandOffsAsync(order.CaseId)).Select(handOff => handOff.Step));
    }
}
