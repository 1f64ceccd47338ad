namespace Remarketing.Transport.Tests;

[Collection(RedisCollection.Name)]
public sealed class AssignCarrierTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task ATransporter_AssignsItself_AndGetsABillOfLadingValidSevenDays()
    {
        var order = await _transport.NewTransporterPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromHours(2));

        var assigned = await _transport.AssignAsync(order.OrderId, _transport.Carrier);

        Assert.Equal((PickupOrderState.ReadyForPickup, _transport.Carrier.Subject), (assigned.State, assigned.CarrierId));
        Assert.Matches("^BOL-[0-9A-F]{32}$", assigned.BillOfLadingId);
        Assert.Equal(TestTransport.Start.AddHours(2).AddDays(7), assigned.BillOfLadingExpiresAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task ATransporter_GivingItsOwnIdAsCarrier_IsTheSame()
    {
        var order = await _transport.NewTransporterPickupAsync();

        var assigned = await _transport.Calls.AssignCarrierAsync(_transport.Carrier,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.Carrier.Subject });

        Assert.Equal(_transport.Carrier.Subject, assigned.CarrierId);
    }

    [Fact]
    public async Task ATransporter_NamingAnotherCarrier_IsPermissionDenied_AndChangesNothing()
    {
        var order = await _transport.NewTransporterPickupAsync();

        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.Calls.AssignCarrierAsync(_transport.Carrier,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.OtherCarrier.Subject }));

        Assert.Equal(order, await _transport.AsCenterAsync(order.OrderId));
    }

    [Fact]
    public async Task TheRemarketingCenter_MustNameTheCarrier()
    {
        var order = await _transport.NewTransporterPickupAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId }));
        var assigned = await _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.Carrier.Subject });

        Assert.Contains("carrier_id is required", refusal.Message);
        Assert.Equal(_transport.Carrier.Subject, assigned.CarrierId);
        Assert.NotEmpty(assigned.BillOfLadingId);
        Assert.Equal(assigned.BillOfLadingId, (await _transport.Calls.GetAsync(_transport.Carrier, order.OrderId)).BillOfLadingId);
    }

    [Fact]
    public async Task AnOrderAssignedToAnotherCarrier_IsFailedPrecondition_ForATransporterAndTheCenter()
    {
        var order = await _transport.NewAssignedPickupAsync();

        var byTransporter = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.AssignAsync(order.OrderId, _transport.OtherCarrier));
        var byCenter = await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.OtherCarrier.Subject }));

        Assert.Equal($"pickup order {order.OrderId} is already assigned to another carrier", byTransporter.Message);
        Assert.DoesNotContain(_transport.Carrier.Subject, byTransporter.Message);
        Assert.Contains($"is assigned to carrier {_transport.Carrier.Subject} until its bill of lading expires", byCenter.Message);
        Assert.Equal(order.BillOfLadingId, (await _transport.AsCenterAsync(order.OrderId)).BillOfLadingId);
    }

    [Fact]
    public async Task ABuyerPickup_IsNotFoundForATransporter_AndFailedPreconditionForTheCenter()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var byTransporter = await RefusedAsync(DomainErrorKind.NotFound, () => _transport.AssignAsync(order.OrderId, _transport.Carrier));
        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.Carrier.Subject }));

        Assert.Equal($"no pickup order {order.OrderId}", byTransporter.Message);
    }

    [Fact]
    public async Task AMissingOrder_IsNotFound()
    {
        var refusal = await RefusedAsync(DomainErrorKind.NotFound, () => _transport.AssignAsync("P-00000000000000000000", _transport.Carrier));

        Assert.Equal("no pickup order P-00000000000000000000", refusal.Message);
    }

    [Fact]
    public async Task BillsOfLading_AreRandom_NotMadeFromTheOrder()
    {
        var first = await _transport.NewAssignedPickupAsync();
        var second = await _transport.NewAssignedPickupAsync();

        Assert.NotEqual(first.BillOfLadingId, second.BillOfLadingId);
        Assert.DoesNotContain(first.OrderId[2..], first.BillOfLadingId, StringComparison.OrdinalIgnoreCase);
        // 128 random bits: no two of a thousand share even their first 8 hex digits by chance (p < 1e-4).
        var many = Enumerable.Range(0, 1000).Select(_ => Domain.BillOfLading.Issue("C-1", TestTransport.Start, TimeSpan.FromDays(7)).Id[4..12]).ToHashSet();
        Assert.Equal(1000, many.Count);
    }

    [Fact]
    public async Task TheSameCarrierAgain_WhileItsBillIsValid_KeepsTheBill()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(6));

        var again = await _transport.AssignAsync(order.OrderId, _transport.Carrier);

        Assert.Equal((order.BillOfLadingId, order.BillOfLadingExpiresAt), (again.BillOfLadingId, again.BillOfLadingExpiresAt));
        Assert.Single(await _transport.HandOffsAsync(order.CaseId), handOff => handOff.Step == CaseStep.CarrierAssigned);
    }

    [Fact]
    public async Task AfterTheBillExpires_AssigningAgain_IssuesANewOne()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(7));

        var again = await _transport.AssignAsync(order.OrderId, _transport.Carrier);

        Assert.NotEqual(order.BillOfLadingId, again.BillOfLadingId);
        Assert.Equal(TestTransport.Start.AddDays(14), again.BillOfLadingExpiresAt.ToDateTimeOffset());
        Assert.Equal(["transport/order/" + order.OrderId + "/carrier-assigned/1", "transport/order/" + order.OrderId + "/carrier-assigned/2"],
            (await _transport.HandOffsAsync(order.CaseId)).Where(handOff => handOff.Step == CaseStep.CarrierAssigned).Select(handOff => handOff.RequestId));
    }

    [Fact]
    public async Task AfterTheBillExpires_TheCenterMayAssignAnotherCarrier_ButNotATransporter()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(7));

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.AssignAsync(order.OrderId, _transport.OtherCarrier));
        var reassigned = await _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.OtherCarrier.Subject });

        Assert.Equal(_transport.OtherCarrier.Subject, reassigned.CarrierId);
        Assert.NotEqual(order.BillOfLadingId, reassigned.BillOfLadingId);
        await RefusedAsync(DomainErrorKind.NotFound, () => _transport.Calls.GetAsync(_transport.Carrier, order.OrderId));
        Assert.Equal(reassigned.BillOfLadingId, (await _transport.Calls.GetAsync(_transport.OtherCarrier, order.OrderId)).BillOfLadingId);
    }

    [Fact]
    public async Task BillOfLadingValidity_IsConfigurable()
    {
        await using var transport = new TestTransport(redis.Connection, options => options.BillOfLadingValidity = TimeSpan.FromHours(36));

        var order = await transport.NewAssignedPickupAsync();

        Assert.Equal(TestTransport.Start.AddHours(36), order.BillOfLadingExpiresAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task AfterRelease_TheCarrierCanNoLongerChange()
    {
        var order = await _transport.NewAssignedPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.BillOfLadingId);
        _transport.Clock.Advance(TimeSpan.FromDays(8));

        await RefusedAsync(DomainErrorKind.FailedPrecondition, () => _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.OtherCarrier.Subject }));
    }

    [Fact]
    public async Task RepeatedRequestId_ReturnsTheFirstAnswer()
    {
        var order = await _transport.NewTransporterPickupAsync();
        var request = new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId };

        var first = await _transport.Calls.AssignCarrierAsync(_transport.Carrier, request);
        _transport.Clock.Advance(TimeSpan.FromDays(8));
        var again = await _transport.Calls.AssignCarrierAsync(_transport.Carrier, request);

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData("", "r-1", "order_id is required")]
    [InlineData("P-1", "", "request_id is required")]
    public async Task MissingIds_AreInvalidArgument(string orderId, string requestId, string message)
    {
        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () => _transport.Calls.AssignCarrierAsync(_transport.Carrier,
            new AssignCarrierRequest { RequestId = requestId, OrderId = orderId }));

        Assert.Contains(message, refusal.Message);
    }
}
