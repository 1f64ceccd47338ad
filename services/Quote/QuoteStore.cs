using System.Text.Json;
using System.Text.Json.Serialization;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service's own data in Redis, under the "quote:" prefix. Each account is one JSON
/// value; every change reads it, decides in plain code, and writes it back in a transaction that
/// only commits if nobody changed it meanwhile (and, for a request, if its id is still unused).
/// </summary>
public sealed class QuoteStore(IConnectionMultiplexer redis)
{
    /// <summary>Due return kits: account ids scored by the instant (Unix ms) the kit is due.</summary>
    private static readonly RedisKey ReturnKitsDue = "quote:return-kits-due";

    /// <summary>Dealer-purchase holds: account ids scored by the instant (Unix ms) the hold ends.</summary>
    private static readonly RedisKey HoldsEnding = "quote:holds-ending";

    /// <summary>
    /// Cases that go to remarketing (a Lessee Return, or a hold that lapsed), in order: the
    /// hand-off to Inspection reads this stream, so no case is lost if Inspection is down.
    /// Its entries' fields are <see cref="RemarketingQueueField"/>.
    /// </summary>
    public static readonly RedisKey RemarketingQueue = "quote:remarketing";

    /// <summary>How long a request id is remembered: a retry after this is a new request.</summary>
    public static readonly TimeSpan RequestMemory = TimeSpan.FromDays(30);

    private const int MaxAttempts = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private IDatabase Database => redis.GetDatabase();

    private static RedisKey AccountKey(string accountId) => $"quote:account:{accountId}";

    private static RedisKey CaseKey(string caseId) => $"quote:case:{caseId}";

    private static RedisKey RequestKey(IdempotentRequest request) =>
        "quote:request:" + CompositeKey.Of(request.Operation, request.Caller.Role, request.Caller.Subject, request.RequestId);

    public async Task<LeaseAccountRecord?> FindAsync(string accountId) => Deserialize(await Database.StringGetAsync(AccountKey(accountId)));

    public async Task<LeaseAccountRecord> GetAsync(string accountId) =>
        await FindAsync(accountId) ?? throw DomainException.NotFound($"no lease account {accountId}");

    /// <summary>The account a case belongs to; NotFound if there is no such case.</summary>
    public async Task<string> AccountOfCaseAsync(string caseId)
    {
        var accountId = string.IsNullOrWhiteSpace(caseId) ? RedisValue.Null : await Database.StringGetAsync(CaseKey(caseId));
        return accountId.IsNull ? throw NoSuchCase(caseId) : accountId.ToString();
    }

    public static DomainException NoSuchCase(string caseId) => DomainException.NotFound($"no return case {caseId}");

    /// <summary>
    /// Applies a change asked by <paramref name="request"/>. A repeat of the request id with the
    /// same content returns the first answer and changes nothing; with other content it is refused.
    /// <paramref name="decide"/> sees the account as stored (null if there is none) and may refuse by throwing.
    /// </summary>
    public async Task<T> ChangeAsync<T>(string accountId, IdempotentRequest request, Func<LeaseAccountRecord?, Decision<T>> decide)
        where T : class
    {
        var database = Database;
        var requestKey = RequestKey(request);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var first = await database.HashGetAsync(requestKey, ["fingerprint", "response"]);
            if (!first[0].IsNull)
            {
                if (first[0] != request.Fingerprint)
                    throw DomainException.InvalidArgument($"request id '{request.RequestId}' was already used for a different {request.Operation} request: use a new request id for a new request");
                return JsonSerializer.Deserialize<T>((byte[])first[1]!, Json)
                    ?? throw new InvalidOperationException($"the stored answer to request {request.RequestId} is empty");
            }

            var decision = await TryCommitAsync(accountId, decide, (transaction, response) =>
            {
                transaction.AddCondition(Condition.KeyNotExists(requestKey));
                _ = transaction.HashSetAsync(requestKey, [new("fingerprint", request.Fingerprint), new("response", JsonSerializer.SerializeToUtf8Bytes(response, Json))]);
                _ = transaction.KeyExpireAsync(requestKey, RequestMemory);
            });
            if (decision is not null)
                return decision.Response;
        }
        throw Busy(accountId);
    }

    /// <summary>
    /// Applies a change the service makes on its own (a clock job). <paramref name="decide"/>
    /// returns null when there is nothing to do. True when a change was written.
    /// </summary>
    public async Task<bool> ChangeAsync(string accountId, Func<LeaseAccountRecord, Decision<bool>?> decide)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var nothingToDo = false;
            var decision = await TryCommitAsync<bool>(accountId, account =>
            {
                var decided = account is null ? null : decide(account);
                nothingToDo = decided is null;
                return decided ?? new Decision<bool>(account!, false);
            }, null);
            if (nothingToDo)
                return false;
            if (decision is not null)
                return true;
        }
        throw Busy(accountId);
    }

    /// <summary>Accounts whose return kit is due at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<string>> ReturnKitsDueAsync(DateTimeOffset now) => DueAsync(ReturnKitsDue, now);

    /// <summary>Accounts whose dealer-purchase hold has ended at <paramref name="now"/>.</summary>
    public Task<IReadOnlyList<string>> HoldsEndedAsync(DateTimeOffset now) => DueAsync(HoldsEnding, now);

    /// <summary>Takes an account off the return-kit schedule (a kit it no longer needs).</summary>
    public Task ForgetReturnKitAsync(string accountId) => Database.SortedSetRemoveAsync(ReturnKitsDue, accountId);

    /// <summary>Takes an account off the hold schedule (a hold that is no longer there).</summary>
    public Task ForgetHoldAsync(string accountId) => Database.SortedSetRemoveAsync(HoldsEnding, accountId);

    private async Task<IReadOnlyList<string>> DueAsync(RedisKey schedule, DateTimeOffset now, int limit = 500) =>
        (await Database.SortedSetRangeByScoreAsync(schedule, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: limit))
        .Select(member => member.ToString()).ToList();

    /// <summary>Decides against the stored account and writes the outcome if nobody changed the account meanwhile; null if somebody did.</summary>
    private async Task<Decision<T>?> TryCommitAsync<T>(string accountId, Func<LeaseAccountRecord?, Decision<T>> decide, Action<ITransaction, T>? recordRequest)
    {
        var key = AccountKey(accountId);
        var stored = await Database.StringGetAsync(key);
        var current = Deserialize(stored);
        var decision = decide(current);
        if (ReferenceEquals(decision.Account, current) && recordRequest is null)
            return decision;

        var transaction = Database.CreateTransaction();
        transaction.AddCondition(stored.IsNull ? Condition.KeyNotExists(key) : Condition.StringEqual(key, stored));
        recordRequest?.Invoke(transaction, decision.Response);
        if (!ReferenceEquals(decision.Account, current))
            _ = transaction.StringSetAsync(key, JsonSerializer.SerializeToUtf8Bytes(decision.Account, Json));
        var sideWrites = decision.SideRecords.Select(record => Write(transaction, accountId, record)).ToList();
        if (!await transaction.ExecuteAsync())
            return null;
        await Task.WhenAll(sideWrites);
        return decision;
    }

    /// <summary>A side record as Redis holds it.</summary>
    private static Task Write(ITransaction transaction, string accountId, SideRecord record) => record switch
    {
        SideRecord.CaseIndexed indexed => transaction.StringSetAsync(CaseKey(indexed.CaseId), accountId),
        SideRecord.ReturnKitScheduled kit => transaction.SortedSetAddAsync(ReturnKitsDue, accountId, kit.DueAt.ToUnixTimeMilliseconds()),
        SideRecord.ReturnKitUnscheduled => transaction.SortedSetRemoveAsync(ReturnKitsDue, accountId),
        SideRecord.HoldScheduled hold => transaction.SortedSetAddAsync(HoldsEnding, accountId, hold.EndsAt.ToUnixTimeMilliseconds()),
        SideRecord.HoldUnscheduled => transaction.SortedSetRemoveAsync(HoldsEnding, accountId),
        SideRecord.QueuedForRemarketing { HandOff: var handOff } => transaction.StreamAddAsync(RemarketingQueue,
        [
            new(RemarketingQueueField.CaseId, handOff.CaseId),
            new(RemarketingQueueField.AccountId, handOff.AccountId),
            new(RemarketingQueueField.Vin, handOff.Vin),
            new(RemarketingQueueField.GroundingDealerId, handOff.GroundingDealerId),
            new(RemarketingQueueField.DealerState, handOff.DealerState),
            new(RemarketingQueueField.TerminationType, handOff.Termination.ToString()),
            new(RemarketingQueueField.Reason, handOff.Reason),
            new(RemarketingQueueField.At, handOff.At.ToUnixTimeMilliseconds()),
        ]),
        _ => throw new ArgumentOutOfRangeException(nameof(record), record, "a side record the store does not know"),
    };

    private static LeaseAccountRecord? Deserialize(RedisValue stored) =>
        stored.IsNull ? null : JsonSerializer.Deserialize<LeaseAccountRecord>((byte[])stored!, Json);

    private static DomainException Busy(string accountId) =>
        DomainException.ResourceExhausted($"lease account {accountId} is changing too often to apply this now: try again with the same request id");
}
