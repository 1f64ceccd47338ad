using Remarketing.ServiceDefaults.Invariants;
using Remarketing.Transport.Domain;
using StackExchange.Redis;

namespace Remarketing.Transport;

/// <summary>
/// Every pickup order an index names exists and fits it: every order (the most recent), those
/// awaiting a carrier (transporter pickups without one), and those due (not yet released: what
/// the overdue list is read from).
/// </summary>
public sealed class OrderInvariants(IConnectionMultiplexer redis, TransportStore store) : IInvariantCheck
{
    /// <summary>Members looked at per index on each run: the most recent orders, the earliest due.</summary>
    public const int PerIndex = 1000;

    public string Name => "pickup orders";

    public async Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken)
    {
        var breaches = new List<Breach>();
        breaches.AddRange(await CheckAsync(TransportStore.AllOrders, "orders", Order.Descending, _ => null));
        breaches.AddRange(await CheckAsync(TransportStore.AwaitingCarrier, "awaiting-carrier", Order.Ascending, found =>
            found.State == OrderState.AwaitingCarrier ? null : $"{found.State} but in the awaiting-carrier index: carriers would be offered it"));
        breaches.AddRange(await CheckAsync(TransportStore.Due, "due", Order.Ascending, found =>
            found.IsReleased ? $"{found.State} but in the due index: it would show as overdue" : null));
        return breaches;
    }

    private async Task<IReadOnlyList<Breach>> CheckAsync(RedisKey index, string name, Order order, Func<PickupOrderRecord, string?> problem)
    {
        var members = await redis.GetDatabase().SortedSetRangeByRankAsync(index, 0, PerIndex - 1, order);
        return await IndexedRecords.CheckAsync(members.Select(member => TransportStore.OrderIdOf((string)member!)), store.FindAsync, "order", $"the {name} index", problem);
    }
}
