using System.Text.Json;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Storage;

/// <summary>
/// A service's documents (an account, an inspection order, a pickup order), one JSON value per
/// key. Every change reads the document, decides in plain code, and writes it back in a
/// transaction that commits only if nobody changed it meanwhile and, for a request, only if its
/// id is still unused; what goes with the change (indexes, schedules, hand-offs) is written in the
/// same transaction. A repeated request id returns the first answer and changes nothing.
/// </summary>
/// <param name="prefix">The service's key prefix with the kind of document, e.g. "quote:account:".</param>
/// <param name="requestPrefix">Where request ids are remembered, e.g. "quote:request:".</param>
/// <param name="what">What a document is, for messages: "lease account".</param>
/// <param name="acknowledgement">What a change waits for before it is answered (replicas); none: the primary's fsync only.</param>
public sealed class JsonDocuments<TDocument>(
    IConnectionMultiplexer redis, string prefix, string requestPrefix, string what, JsonSerializerOptions json, WriteAcknowledgement? acknowledgement = null)
    where TDocument : class
{
    /// <summary>How long a request id is remembered: a retry after this is a new request.</summary>
    public static readonly TimeSpan RequestMemory = TimeSpan.FromDays(30);

    private const int MaxAttempts = 16;

    private IDatabase Database => redis.GetDatabase();

    public RedisKey KeyOf(string id) => prefix + id;

    public async Task<TDocument?> FindAsync(string id) => Deserialize(await Database.StringGetAsync(KeyOf(id)));

    /// <summary>The documents with these ids that exist, in order.</summary>
    public async Task<IReadOnlyList<TDocument>> FindManyAsync(IEnumerable<string> ids)
    {
        var keys = ids.Select(KeyOf).ToArray();
        return keys.Length == 0 ? [] : (await Database.StringGetAsync(keys)).Select(Deserialize).OfType<TDocument>().ToList();
    }

    /// <summary>
    /// Applies a change asked by <paramref name="request"/>. A repeat of the request id with the
    /// same content returns the first answer and changes nothing; with other content it is refused.
    /// <paramref name="decide"/> sees the document as stored (null if there is none) and may refuse by throwing.
    /// </summary>
    public async Task<TAnswer> ChangeAsync<TAnswer>(string id, IdempotentRequest request, Func<TDocument?, DocumentChange<TDocument, TAnswer>> decide)
        where TAnswer : class
    {
        var database = Database;
        var requestKey = (RedisKey)(requestPrefix + CompositeKey.Of(request.Operation, request.Caller.Role, request.Caller.Subject, request.RequestId));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var first = await database.HashGetAsync(requestKey, ["fingerprint", "response"]);
            if (!first[0].IsNull)
            {
                if (first[0] != request.Fingerprint)
                    throw DomainException.InvalidArgument($"request id '{request.RequestId}' was already used for a different {request.Operation} request: use a new request id for a new request");
                // The first answer may have been lost before its change was copied: answered again once it is.
                await CopiedAsync(requestKey);
                return JsonSerializer.Deserialize<TAnswer>((byte[])first[1]!, json)
                    ?? throw new InvalidOperationException($"the stored answer to request {request.RequestId} is empty");
            }

            var change = await TryCommitAsync(id, decide, (transaction, answer) =>
            {
                transaction.AddCondition(Condition.KeyNotExists(requestKey));
                _ = transaction.HashSetAsync(requestKey, [new("fingerprint", request.Fingerprint), new("response", JsonSerializer.SerializeToUtf8Bytes(answer, json))]);
                _ = transaction.KeyExpireAsync(requestKey, RequestMemory);
            });
            if (change is not null)
                return change.Answer;
        }
        throw Busy(id);
    }

    /// <summary>
    /// Applies a change the service makes on its own (a clock job). <paramref name="decide"/>
    /// returns null when there is nothing to do. True when a change was written.
    /// </summary>
    public async Task<bool> ChangeAsync(string id, Func<TDocument, DocumentChange<TDocument, bool>?> decide)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var nothingToDo = false;
            var change = await TryCommitAsync<bool>(id, document =>
            {
                var decided = document is null ? null : decide(document);
                nothingToDo = decided is null;
                return decided ?? new DocumentChange<TDocument, bool>(document!, false);
            }, null);
            if (nothingToDo)
                return false;
            if (change is not null)
                return true;
        }
        throw Busy(id);
    }

    /// <summary>Decides against the stored document and writes the outcome if nobody changed it meanwhile; null if somebody did.</summary>
    private async Task<DocumentChange<TDocument, TAnswer>?> TryCommitAsync<TAnswer>(
        string id, Func<TDocument?, DocumentChange<TDocument, TAnswer>> decide, Action<ITransaction, TAnswer>? recordRequest)
    {
        var key = KeyOf(id);
        var stored = await Database.StringGetAsync(key);
        var current = Deserialize(stored);
        var change = decide(current);
        if (ReferenceEquals(change.Document, current) && recordRequest is null)
            return change;

        var transaction = Database.CreateTransaction();
        transaction.AddCondition(stored.IsNull ? Condition.KeyNotExists(key) : Condition.StringEqual(key, stored));
        recordRequest?.Invoke(transaction, change.Answer);
        if (!ReferenceEquals(change.Document, current))
            _ = transaction.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(change.Document, json));
        var writesBeside = change.WriteBeside?.Invoke(transaction) ?? Task.CompletedTask;
        if (!await transaction.ExecuteAsync())
            return null;
        await writesBeside;
        await CopiedAsync(key);
        return change;
    }

    private Task CopiedAsync(RedisKey key) => acknowledgement?.CopiedAsync(key) ?? Task.CompletedTask;

    private TDocument? Deserialize(RedisValue stored) =>
        stored.IsNull ? null : JsonSerializer.Deserialize<TDocument>((byte[])stored!, json);

    private DomainException Busy(string id) =>
        DomainException.ResourceExhausted($"{what} {id} is changing too often to apply this now: try again with the same request id");
}
