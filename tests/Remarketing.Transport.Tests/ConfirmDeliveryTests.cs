namespace Remarketing.Transport.Tests;

[Collection(RedisCollection.Name)]
public sealed class ConfirmDeliveryTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task TheAssignedCarrier_ConfirmsDelivery_AfterRelease()
    {
        var order = await _transport.NewAssignedPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId);
        _transport.Clock.Advance(TimeSpan.FromHours(9));

        var delivered = await _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(order.OrderId));

        Assert.Equal(PickupOrderState.Delivered, delivered.State);
        Assert.Equal(TestTransport.Start.AddHours(9), delivered.DeliveredAt.ToDateTimeOffset());
        Assert.Equal(order.BillOfLadingId, delivered.BillOfLadingId);
    }

    [Fact]
    public async Task TheBuyer_ConfirmsDelivery_OfABuyerPickup()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);

        var delivered = await _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, TestTransport.Delivery(order.OrderId));

        Assert.Equal(PickupOrderState.Delivered, delivered.State);
    }

    [Fact]
    public async Task BeforeRelease_IsFailedPrecondition()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        var carried = await _transport.NewAssignedPickupAsync();

        var byBuyer = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, TestTransport.Delivery(bought.OrderId)));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(carried.OrderId)));

        Assert.Contains("has not been released yet", byBuyer.Message);
        Assert.Equal(PickupOrderState.ReadyForPickup, (await _transport.AsCenterAsync(bought.OrderId)).State);
    }

    [Fact]
    public async Task AnOrderAwaitingACarrier_IsFailedPrecondition_ForATransporter()
    {
        var order = await _transport.NewTransporterPickupAsync();

        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(order.OrderId)));

        Assert.Contains("only its assigned carrier confirms delivery", refusal.Message);
    }

    [Fact]
    public async Task SomeoneElsesOrder_IsNotFound()
    {
        var bought = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(bought.OrderId, bought.ProofOfSaleId);
        var carried = await _transport.NewAssignedPickupAsync();
        await _transport.ReleaseAsync(carried.OrderId, carried.BillOfLadingId);

        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ConfirmDeliveryAsync(_transport.OtherBuyer, TestTransport.Delivery(bought.OrderId)));
        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(bought.OrderId)));
        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ConfirmDeliveryAsync(_transport.OtherCarrier, TestTransport.Delivery(carried.OrderId)));
        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, TestTransport.Delivery(carried.OrderId)));

        Assert.Equal(PickupOrderState.Released, (await _transport.AsCenterAsync(bought.OrderId)).State);
        Assert.Equal(PickupOrderState.Released, (await _transport.AsCenterAsync(carried.OrderId)).State);
    }

    [Fact]
    public async Task ASecondConfirmation_IsFailedPrecondition_UnlessItRepeatsTheRequestId()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
        var request = TestTransport.Delivery(order.OrderId);

        var first = await _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, request);
        var repeat = await _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, request);
        var refusal = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.ConfirmDeliveryAsync(_transport.Buyer, TestTransport.Delivery(order.OrderId)));

        Assert.Equal(first, repeat);
        Assert.Contains("was already delivered", refusal.Message);
    }
}
