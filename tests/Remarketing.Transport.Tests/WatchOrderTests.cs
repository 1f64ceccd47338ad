using Grpc.Core;
using static Remarketing.Contracts.Transport.V1.PickupOrderEvent;

namespace Remarketing.Transport.Tests;

/// <summary>WatchOrder: the order as it stands, then every change from the order's log, resumable after a sequence, with heartbeats.</summary>
[Collection(RedisCollection.Name)]
public sealed class WatchOrderTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection, heartbeatInterval: TimeSpan.FromMilliseconds(200));

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task FirstTheOrderAsItStands_ThenEveryChangeAsItHappens()
    {
        var order = await _transport.NewTransporterPickupAsync();
        await using var watch = await _transport.WatchAsync(TestTransport.Center, order.OrderId, afterSequence: 1);
        var first = await watch.NextOrderAsync();

        var assigned = await _transport.AssignAsync(order.OrderId, _transport.Carrier);
        var seenAssigned = await watch.NextOrderAsync();
        await _transport.ReleaseAsync(order.OrderId, assigned.BillOfLadingId);
        var seenReleased = await watch.NextOrderAsync();

        Assert.Equal((1L, PickupOrderState.AwaitingCarrier), (first.Sequence, first.Order.State));
        Assert.Equal((2L, PickupOrderState.ReadyForPickup, assigned.BillOfLadingId), (seenAssigned.Sequence, seenAssigned.Order.State, seenAssigned.Order.BillOfLadingId));
        Assert.Equal((3L, PickupOrderState.Released), (seenReleased.Sequence, seenReleased.Order.State));
    }

    [Fact]
    public async Task FromTheStart_ReplaysEveryChangeAfterTheOrderAsItStands()
    {
        var order = await _transport.NewAssignedPickupAsync();

        await using var watch = await _transport.WatchAsync(TestTransport.Center, order.OrderId);
        var messages = new[] { await watch.NextOrderAsync(), await watch.NextOrderAsync(), await watch.NextOrderAsync() };

        Assert.Equal([2L, 1L, 2L], messages.Select(message => message.Sequence));
        Assert.Equal([PickupOrderState.ReadyForPickup, PickupOrderState.AwaitingCarrier, PickupOrderState.ReadyForPickup], messages.Select(message => message.Order.State));
    }

    [Fact]
    public async Task ResumedAfterASequence_GetsWhatFollowsIt_NothingTwice()
    {
        var order = await _transport.NewTransporterPickupAsync();
        long lastSeen;
        await using (var first = await _transport.WatchAsync(_transport.Carrier, order.OrderId, afterSequence: 1))
        {
            await first.NextOrderAsync();
            await _transport.AssignAsync(order.OrderId, _transport.Carrier);
            lastSeen = (await first.NextOrderAsync()).Sequence;
        }

        // Gone for a while: the vehicle is released and delivered without this watcher.
        var assigned = await _transport.Calls.GetAsync(_transport.Carrier, order.OrderId);
        await _transport.ReleaseAsync(order.OrderId, assigned.BillOfLadingId);
        await using var again = await _transport.WatchAsync(_transport.Carrier, order.OrderId, afterSequence: lastSeen);
        var standing = await again.NextOrderAsync();
        var released = await again.NextOrderAsync();
        await _transport.Calls.ConfirmDeliveryAsync(_transport.Carrier, TestTransport.Delivery(order.OrderId));
        var delivered = await again.NextOrderAsync();

        Assert.Equal(2L, lastSeen);
        Assert.Equal((3L, PickupOrderState.Released), (standing.Sequence, standing.Order.State));
        Assert.Equal((3L, PickupOrderState.Released), (released.Sequence, released.Order.State));
        Assert.Equal((4L, PickupOrderState.Delivered), (delivered.Sequence, delivered.Order.State));
    }

    [Fact]
    public async Task RefusedReleases_AreStreamedToTheCenterOnly()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await using var center = await _transport.WatchAsync(TestTransport.Center, order.OrderId, afterSequence: 1);
        await using var dealer = await _transport.WatchAsync(_transport.Dealer, order.OrderId, afterSequence: 1);
        await center.NextOrderAsync();
        await dealer.NextOrderAsync();

        await RefusedAsync(DomainErrorKind.PermissionDenied, () => _transport.ReleaseAsync(order.OrderId, "POS-wrong"));
        var refusedForCenter = await center.NextOrderAsync();
        await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
        var releasedForCenter = await center.NextOrderAsync();
        var releasedForDealer = await dealer.NextOrderAsync();

        Assert.Equal((2L, 1), (refusedForCenter.Sequence, refusedForCenter.Order.RefusedReleaseCount));
        Assert.Equal(3L, releasedForCenter.Sequence);
        Assert.Equal((3L, PickupOrderState.Released, 0), (releasedForDealer.Sequence, releasedForDealer.Order.State, releasedForDealer.Order.RefusedReleaseCount));
        Assert.Equal("", releasedForDealer.Order.ProofOfSaleId);
    }

    [Fact]
    public async Task AnIdleStream_GetsHeartbeats_CarryingTheLastSequence()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await using var watch = await _transport.WatchAsync(_transport.Buyer, order.OrderId);
        await watch.NextOrderAsync();
        await watch.NextOrderAsync();

        var heartbeat = await watch.NextAsync();

        Assert.Equal((KindOneofCase.Heartbeat, 1L), (heartbeat.KindCase, heartbeat.Sequence));
        Assert.Equal(TestTransport.Start, heartbeat.Heartbeat.ServerTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task SomeoneElsesOrder_IsNotFound_AndASequenceNotOnTheLog_InvalidArgument()
    {
        var order = await _transport.NewBuyerPickupAsync();

        var others = await RefusedAsync(DomainErrorKind.NotFound, async () => await (await _transport.WatchAsync(_transport.OtherDealer, order.OrderId)).Running);
        var ahead = await RefusedAsync(DomainErrorKind.InvalidArgument, async () => await (await _transport.WatchAsync(_transport.Buyer, order.OrderId, afterSequence: 2)).Running);
        var negative = await RefusedAsync(DomainErrorKind.InvalidArgument, async () => await (await _transport.WatchAsync(_transport.Buyer, order.OrderId, afterSequence: -1)).Running);

        Assert.Equal($"no pickup order {order.OrderId}", others.Message);
        Assert.Equal("after_sequence must be between 0 and the order's latest sequence (1)", ahead.Message);
        Assert.Equal(ahead.Message, negative.Message);
    }

    [Fact]
    public async Task AnOpenOrderAnotherCarrierTakes_EndsTheStreamNotFound()
    {
        var order = await _transport.NewTransporterPickupAsync();
        await using var watch = await _transport.WatchAsync(_transport.OtherCarrier, order.OrderId, afterSequence: 1);
        await watch.NextOrderAsync();

        await _transport.AssignAsync(order.OrderId, _transport.Carrier);
        var ended = await Assert.ThrowsAsync<RpcException>(() => watch.Running);

        Assert.Equal(StatusCode.NotFound, ended.StatusCode);
        Assert.DoesNotContain(_transport.Carrier.Subject, ended.Status.Detail);
    }

    [Fact]
    public async Task ACarrierAssignedAfterAnother_SeesItsOrderFromTheStart_WithoutTheOthersAssignment()
    {
        var order = await _transport.NewAssignedPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(8));
        var reassigned = await _transport.Calls.AssignCarrierAsync(TestTransport.Center,
            new AssignCarrierRequest { RequestId = TestTransport.NewRequestId(), OrderId = order.OrderId, CarrierId = _transport.OtherCarrier.Subject });

        await using var watch = await _transport.WatchAsync(_transport.OtherCarrier, order.OrderId);
        var messages = new[] { await watch.NextOrderAsync(), await watch.NextOrderAsync(), await watch.NextOrderAsync() };

        Assert.Equal([3L, 1L, 3L], messages.Select(message => message.Sequence));
        Assert.Equal(reassigned.BillOfLadingId, messages[2].Order.BillOfLadingId);
        Assert.DoesNotContain(messages, message => message.ToString().Contains(order.BillOfLadingId, StringComparison.Ordinal));
    }
}
