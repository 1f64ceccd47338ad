namespace Remarketing.Simulator.Running;

/// <summary>
/// What the simulated people are to do and when, on the shared clock. Entries due at the same
/// instant run in the order of their keys (which name the actor and the vehicle, never a random
/// id), so the order does not depend on which stream answered first.
/// </summary>
public sealed class Agenda
{
    private readonly object _gate = new();
    private readonly SortedSet<Entry> _entries = new(EntryOrder.Instance);
    private long _added;
    private TaskCompletionSource _changed = NewSignal();

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Adds a step to run at <paramref name="at"/>; <paramref name="key"/> orders steps due at the same instant.</summary>
    public void At(DateTimeOffset at, string key, Func<CancellationToken, Task> step)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _entries.Add(new Entry(at, key, _added++, step));
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    /// <summary>The earliest entry's time, and a task that completes when an entry is added.</summary>
    public (DateTimeOffset? Next, Task Changed) Peek()
    {
        lock (_gate)
            return (_entries.Count == 0 ? null : _entries.Min!.At, _changed.Task);
    }

    /// <summary>Every entry due at or before <paramref name="now"/>, earliest first, taken off the agenda.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Key, Func<CancellationToken, Task> Step)> TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = new List<(DateTimeOffset, string, Func<CancellationToken, Task>)>();
            while (_entries.Count > 0 && _entries.Min!.At <= now)
            {
                var entry = _entries.Min;
                _entries.Remove(entry);
                due.Add((entry.At, entry.Key, entry.Step));
            }
            return due;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Entry(DateTimeOffset At, string Key, long Added, Func<CancellationToken, Task> Step);

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
                return 0;
            if (x is null || y is null)
                return x is null ? -1 : 1;
            var byTime = x.At.CompareTo(y.At);
            if (byTime != 0)
                return byTime;
            var byKey = string.CompareOrdinal(x.Key, y.Key);
            return byKey != 0 ? byKey : x.Added.CompareTo(y.Added);
        }
    }
}
