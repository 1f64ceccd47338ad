using StackExchange.Redis;

namespace Remarketing.Transport.Tests;

/// <summary>Everything the service writes and reads is under "transport:": a whole pickup runs as the service's own Redis user.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisUserTests(RedisConnectionFixture redis)
{
    [Fact]
    public async Task APickup_FromOrderToDelivery_Watched_Listed_AndOverdue_RunsAsTheTransportUser()
    {
        await using var asTransport = await ConnectionMultiplexer.ConnectAsync(redis.Server.OptionsFor("transport"));
        await using var transport = new TestTransport(asTransport);

        var order = await transport.NewTransporterPickupAsync();
        await using var watch = await transport.WatchAsync(TestTransport.Center, order.OrderId, afterSequence: 1);
        await watch.NextOrderAsync();
        var assigned = await transport.AssignAsync(order.OrderId, transport.Carrier);
        await RefusedAsync(DomainErrorKind.PermissionDenied, () => transport.ReleaseAsync(order.OrderId, "BOL-wrong"));
        transport.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        while (await transport.Jobs.NoticeOverdueAsync() > 0)
        {
        }
        var overdue = await transport.ListAllAsync(transport.Dealer, new ListPickupOrdersRequest { OverdueOnly = true });
        var renewed = await transport.AssignAsync(order.OrderId, transport.Carrier);
        await transport.ReleaseAsync(order.OrderId, renewed.BillOfLadingId);
        await transport.Calls.ConfirmDeliveryAsync(transport.Carrier, TestTransport.Delivery(order.OrderId));
        var seen = new List<long>();
        while (seen.Count < 6)
            seen.Add((await watch.NextOrderAsync()).Sequence);

        Assert.NotEqual(assigned.BillOfLadingId, renewed.BillOfLadingId);
        Assert.Equal([order.OrderId], overdue.Select(listed => listed.OrderId));
        Assert.Equal([2L, 3L, 4L, 5L, 6L, 7L], seen);
        Assert.Equal(6, (await transport.HandOffsAsync(order.CaseId)).Count);
        Assert.Equal(PickupOrderState.Delivered, (await transport.AsCenterAsync(order.OrderId)).State);
    }
}
