using System.Diagnostics;
using System.Text.Json;
using Remarketing.ServiceDefaults.Redis;
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

    /// <summary>The hand-offs not yet acknowledged, oldest first: in the service's slot, beside the records whose changes write them.</summary>
    public RedisKey Pending { get; } = ServiceKeys.Prefix(service) + "outbox";

    /// <summary>Hand-offs the receiver kept refusing: kept with the last error, for a person to look at.</summary>
    public RedisKey Failed { get; } = ServiceKeys.Prefix(service) + "outbox:failed";

    /// <summary>Which instance delivers (several instances of a service share one outbox).</summary>
    public RedisKey SenderLease { get; } = ServiceKeys.Prefix(service) + "outbox:sender";

    /// <summary>Where the outbox keeps other things of its own, in its slot: "resolved" gives "quote:{quote}:outbox:resolved".</summary>
    public RedisKey Beside(string name) => ServiceKeys.Prefix(Service) + "outbox:" + name;

    /// <summary>Queues the hand-off in <paramref name="transaction"/>: stored if, and only if, the transaction commits.</summary>
    public Task AddAsync(ITransaction transaction, HandOff handOff) => WakeAfter(transaction.StreamAddAsync(Pending, Entry(handOff)));

    /// <summary>Queues a hand-off that waited on <paramref name="acknowledged"/> (<see cref="HandOff.Then"/>): caused by what caused that one.</summary>
    public Task AddWaitingAsync(ITransaction transaction, HandOff handOff, StreamEntry acknowledged) =>
        WakeAfter(transaction.StreamAddAsync(Pending, Entry(handOff, (string?)acknowledged[HandOffField.Cause])));

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

    /// <summary>The hand-offs that wait on an entry's (<see cref="HandOff.Then"/>), as written with it.</summary>
    public static IReadOnlyList<HandOff> ThenOf(StreamEntry entry) =>
        entry[HandOffField.Then] is { IsNull: false } then ? FromJson(JsonSerializer.Deserialize<List<Waiting>>((byte[])then!) ?? []) : [];

    private static NameValueEntry[] Entry(HandOff handOff, string? causedBy = null)
    {
        var cause = causedBy ?? Activity.Current?.Id ?? "";
        var trace = handOff.Journey.Length > 0 ? handOff.Journey : cause;
        NameValueEntry[] fields =
        [
            new(HandOffField.Id, handOff.Id),
            new(HandOffField.Operation, handOff.Operation),
            new(HandOffField.Body, handOff.Body),
            new(HandOffField.TraceParent, trace),
            new(HandOffField.Cause, cause == trace ? "" : cause),
            new(HandOffField.WrittenAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        ];
        return handOff.Then.Count == 0 ? fields : [.. fields, new(HandOffField.Then, JsonSerializer.SerializeToUtf8Bytes(ToJson(handOff.Then)))];
    }

    private static List<Waiting> ToJson(IReadOnlyList<HandOff> handOffs) =>
        [.. handOffs.Select(handOff => new Waiting(handOff.Id, handOff.Operation, handOff.Body, handOff.Journey, ToJson(handOff.Then)))];

    private static List<HandOff> FromJson(IReadOnlyList<Waiting> waiting) =>
        [.. waiting.Select(handOff => new HandOff(handOff.Id, handOff.Operation, handOff.Body) { Journey = handOff.Journey, Then = FromJson(handOff.Then) })];

    /// <summary>A hand-off waiting on another, as its entry carries it.</summary>
    private sealed record Waiting(string Id, string Operation, byte[] Body, string Journey, List<Waiting> Then);

    private async Task WakeAfter(Task written)
    {
        await written;
        Wake();
    }
}
