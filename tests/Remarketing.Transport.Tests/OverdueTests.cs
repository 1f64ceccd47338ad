namespace Remarketing.Transport.Tests;

/// <summary>A pickup is due at its order time plus the window, on the shared clock; past that and unreleased it is overdue.</summary>
[Collection(RedisCollection.Name)]
public sealed class OverdueTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task APickup_IsOverdueOnlyOnceItsDueTimeHasPassed()
    {
        var order = await _transport.NewBuyerPickupAsync();

        _transport.Clock.SetUtcNow(order.PickupDueBy.ToDateTimeOffset());
        var atDue = await _transport.AsCenterAsync(order.OrderId);
        _transport.Clock.Advance(TimeSpan.FromTicks(1));
        var after = await _transport.AsCenterAsync(order.OrderId);

        Assert.False(atDue.Overdue);
        Assert.True(after.Overdue);
        Assert.True((await _transport.Calls.GetAsync(_transport.Dealer, order.OrderId)).Overdue);
    }

    [Fact]
    public async Task AReleasedPickup_IsNeverOverdue()
    {
        var order = await _transport.NewBuyerPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(8));

        var released = await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);

        Assert.False(released.Overdue);
        Assert.False((await _transport.AsCenterAsync(order.OrderId)).Overdue);
    }

    [Fact]
    public async Task OverdueOnly_ListsThePickupsPastDueAndNotReleased()
    {
        var early = await _transport.NewTransporterPickupAsync();
        var releasedLate = await _transport.NewBuyerPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(2));
        var later = await _transport.NewBuyerPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await _transport.ReleaseAsync(releasedLate.OrderId, releasedLate.ProofOfSaleId);

        var overdue = await _transport.Calls.ListAsync(_transport.Dealer, new ListPickupOrdersRequest { OverdueOnly = true });
        var asCenter = await _transport.ListAllAsync(TestTransport.Center, new ListPickupOrdersRequest { OverdueOnly = true });
        var everything = await _transport.Calls.ListAsync(_transport.Dealer);

        Assert.Equal([early.OrderId], overdue.Orders.Select(order => order.OrderId));
        Assert.True(overdue.Orders[0].Overdue);
        Assert.Contains(early.OrderId, asCenter.Select(order => order.OrderId));
        Assert.DoesNotContain(releasedLate.OrderId, asCenter.Select(order => order.OrderId));
        Assert.All(asCenter, order => Assert.True(order.Overdue));
        Assert.Equal(3, everything.Orders.Count);
        Assert.False(everything.Orders.Single(order => order.OrderId == later.OrderId).Overdue);
    }

    [Fact]
    public async Task TheClockJob_NoticesAnOverduePickupOnce_OnItsLog()
    {
        var order = await _transport.NewTransporterPickupAsync();
        _transport.Clock.Advance(TimeSpan.FromDays(7));
        await _transport.Jobs.NoticeOverdueAsync();
        var before = await _transport.StoredAsync(order.OrderId);

        _transport.Clock.Advance(TimeSpan.FromSeconds(1));
        // Other tests' orders are on the same schedule: looked at 500 at a time.
        while (await _transport.Jobs.NoticeOverdueAsync() > 0)
        {
        }
        await _transport.Jobs.NoticeOverdueAsync();
        var after = await _transport.StoredAsync(order.OrderId);
        var log = await _transport.Store.LogAfterAsync(order.OrderId, 0, 10);

        Assert.Null(before!.OverdueNotedAt);
        Assert.Equal(TestTransport.Start.AddDays(7).AddSeconds(1), after!.OverdueNotedAt);
        Assert.Equal([Domain.OrderChange.Ordered, Domain.OrderChange.Overdue], log.Select(entry => entry.Change));
        Assert.True(ProtoViews.ToProto(log[^1].Order, log[^1].At).Overdue);
    }

    [Fact]
    public async Task TheClockJob_LeavesReleasedPickupsAlone()
    {
        var order = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(order.OrderId, order.ProofOfSaleId);
        _transport.Clock.Advance(TimeSpan.FromDays(8));

        await _transport.Jobs.NoticeOverdueAsync();

        Assert.Null((await _transport.StoredAsync(order.OrderId))!.OverdueNotedAt);
        Assert.DoesNotContain(order.OrderId, await _transport.Store.OverdueChecksAsync(_transport.Clock.GetUtcNow(), 100_000));
    }
}
