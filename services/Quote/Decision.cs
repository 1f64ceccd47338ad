using Remarketing.Quote.Domain;
using StackExchange.Redis;

namespace Remarketing.Quote;

/// <summary>What a change decided: the account as it is to be stored, the answer, and the side records to write with it.</summary>
public sealed record Decision<T>(LeaseAccountRecord Account, T Response)
{
    /// <summary>Writes that go in the same transaction as the account (indexes, schedules, hand-off queues).</summary>
    public IReadOnlyList<Func<ITransaction, Task>> SideWrites { get; init; } = [];
}
