using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Storage;

/// <summary>What a change decided: the document as it is to be stored, the answer, and what to write beside it in the same transaction.</summary>
/// <param name="WriteBeside">Queues the writes that go with the document (indexes, schedules, hand-offs); null when there are none.</param>
public sealed record DocumentChange<TDocument, TAnswer>(TDocument Document, TAnswer Answer, Func<ITransaction, Task>? WriteBeside = null);
