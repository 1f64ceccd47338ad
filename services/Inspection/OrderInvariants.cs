using Remarketing.Inspection.Domain;
using Remarketing.ServiceDefaults.Invariants;
using StackExchange.Redis;

namespace Remarketing.Inspection;

/// <summary>
/// Every order an index names exists and is in the state that index stands for: the state
/// indexes (the most recent orders of each) and the unfinished one (open and accepted orders by
/// due time, what the overdue queue is read from).
/// </summary>
public sealed class OrderInvariants(IConnectionMultiplexer redis, InspectionStore store) : IInvariantCheck
{
    /// <summary>Orders looked at per index on each run: the most recent (and, for unfinished, the earliest due).</summary>
    public const int PerIndex = 1000;

    public string Name => "inspection orders";

    public async Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var breaches = new List<Breach>();
        foreach (var state in Enum.GetValues<OrderState>())
        {
            var ids = await database.SortedSetRangeByRankAsync(InspectionStore.InState(state), 0, PerIndex - 1, Order.Descending);
            breaches.AddRange(await IndexedRecords.CheckAsync(ids.Select(id => (string)id!), store.FindOrderAsync, "order", $"the {state} index",
                order => order.State == state ? null : $"{order.State} but in the {state} index"));
        }

        var unfinished = await database.SortedSetRangeByRankAsync(InspectionStore.Unfinished, 0, PerIndex - 1);
        breaches.AddRange(await IndexedRecords.CheckAsync(unfinished.Select(id => (string)id!), store.FindOrderAsync, "order", "the unfinished index",
            order => order.State is OrderState.Open or OrderState.Accepted ? null : $"{order.State} but in the unfinished index: it would show as overdue"));
        return breaches;
    }
}
