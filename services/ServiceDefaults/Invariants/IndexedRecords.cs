namespace Remarketing.ServiceDefaults.Invariants;

/// <summary>The common shape of an index check: every record an index names exists, and fits what the index stands for.</summary>
public static class IndexedRecords
{
    /// <param name="kind">What a record is, for the breach's subject: "order" gives "order IO-1".</param>
    /// <param name="index">The index, for the breach: "the Open index".</param>
    /// <param name="problem">What is wrong with a record the index names; null when it fits.</param>
    public static async Task<IReadOnlyList<Breach>> CheckAsync<TRecord>(
        IEnumerable<string> ids, Func<string, Task<TRecord?>> find, string kind, string index, Func<TRecord, string?> problem)
        where TRecord : class
    {
        var named = ids.ToList();
        var records = await Task.WhenAll(named.Select(find));
        var breaches = new List<Breach>();
        for (var i = 0; i < named.Count; i++)
        {
            if (records[i] is not { } record)
                breaches.Add(new($"{kind} {named[i]}", $"in {index} but it does not exist"));
            else if (problem(record) is { } wrong)
                breaches.Add(new($"{kind} {named[i]}", wrong));
        }
        return breaches;
    }
}
