using System.Diagnostics;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// A service's outbox: the hand-offs it owes other services, a Redis stream under its own prefix.
/// A change adds its hand-offs in the same transaction (or script) that writes the change, so
/// either both are stored or neither; <see cref="HandOffSender"/> delivers them.
/// </summary>
public sealed class Outbox(string service) : IDisposable
{
    private readonly SemaphoreSlim _written = new(0);

    public string Service { get; } = service;

    /// <summary>The hand-offs not yet acknowledged, oldest first.</summary>
    public RedisKey Pending { get; } = $"{service}:{{outbox}}";

    /// <summary>Hand-offs the receiver kept refusing: kept with the last error, for a person to look at.</summary>
    public RedisKey Failed { get; } = $"{service}:{{outbox}}:failed";

    /// <summary>Which instance delivers (several instances of a service share one outbox).</summary>
    public RedisKey SenderLease { get; } = $"{service}:{{outbox}}:sender";

    /// <summary>Queues the hand-off in <paramref name="transaction"/>: stored if, and only if, the transaction commits.</summary>
    public Task AddAsync(ITransaction transaction, HandOff handOff) => WakeAfter(transaction.StreamAddAsync(Pending, Entry(handOff)));

    /// <summary>The entry's fields and values in order, for a script that adds it with XADD (ARGV).</summary>
    public static RedisValue[] ScriptArguments(HandOff handOff) => Entry(handOff).SelectMany(entry => new[] { (RedisValue)entry.Name, entry.Value }).ToArray();

    /// <summary>Tells the sender in this process that a hand-off was written, so it need not wait for its next look.</summary>
    public void Wake()
    {
        if (_written.CurrentCount == 0)
            _written.Release();
    }

    /// <summary>Waits until a hand-off is written in this process, or <paramref name="timeout"/> passes.</summary>
    public Task WaitForWriteAsync(TimeSpan timeout, CancellationToken cancellationToken) => _written.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _written.Dispose();

    private static NameValueEntry[] Entry(HandOff handOff)
    {
        var cause = Activity.Current?.Id ?? "";
        var trace = handOff.Journey.Length > 0 ? handOff.Journey : cause;
        return
        [
            new(HandOffField.Id, handOff.Id),
            new(HandOffField.Operation, handOff.Operation),
            new(HandOffField.Body, handOff.Body),
            new(HandOffField.TraceParent, trace),
            new(HandOffField.Cause, cause == trace ? "" : cause),
            new(HandOffField.WrittenAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        ];
    }

    private async Task WakeAfter(Task written)
    {
        await written;
        Wake();
    }
}
