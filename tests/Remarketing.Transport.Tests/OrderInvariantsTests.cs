namespace Remarketing.Transport.Tests;

/// <summary>Every pickup order an index names exists and fits that index.</summary>
[Collection(RedisCollection.Name)]
public sealed class OrderInvariantsTests(RedisConnectionFixture redis) : IAsyncDisposable
{
    private readonly TestTransport _transport = new(redis.Connection);

    private OrderInvariants Invariants => new(redis.Connection, _transport.Store);

    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    [Fact]
    public async Task OrdersAsTheDeskLeavesThem_AwaitingACarrier_Assigned_Released_KeepEveryInvariant()
    {
        var awaiting = await _transport.NewTransporterPickupAsync();
        var assigned = await _transport.NewAssignedPickupAsync();
        var released = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(released.OrderId, released.ProofOfSaleId);

        var breaches = await Invariants.FindAsync(CancellationToken.None);

        Assert.DoesNotContain(breaches, breach => new[] { awaiting.OrderId, assigned.OrderId, released.OrderId }.Any(id => breach.Subject == $"order {id}"));
    }

    [Fact]
    public async Task AReleasedOrderStillDue_OrAnAssignedOneStillAwaitingACarrier_IsReported()
    {
        var released = await _transport.NewBuyerPickupAsync();
        await _transport.ReleaseAsync(released.OrderId, released.ProofOfSaleId);
        var assigned = await _transport.NewAssignedPickupAsync();
        var stored = (await _transport.StoredAsync(assigned.OrderId))!;
        var due = TransportStore.Member(TestTransport.Start, released.OrderId);
        var awaiting = TransportStore.Member(stored.CreatedAt, assigned.OrderId);
        var database = redis.Connection.GetDatabase();
        await database.SortedSetAddAsync(TransportStore.Due, due, 0);
        await database.SortedSetAddAsync(TransportStore.AwaitingCarrier, awaiting, 0);

        var breaches = (await Invariants.FindAsync(CancellationToken.None)).Select(breach => breach.ToString()).ToList();
        await database.SortedSetRemoveAsync(TransportStore.Due, due);
        await database.SortedSetRemoveAsync(TransportStore.AwaitingCarrier, awaiting);

        Assert.Contains($"order {released.OrderId}: Released but in the due index: it would show as overdue", breaches);
        Assert.Contains($"order {assigned.OrderId}: ReadyForPickup but in the awaiting-carrier index: carriers would be offered it", breaches);
    }
}
