using System.Text.Json;
using System.Text.Json.Serialization;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Storage;
using StackExchange.Redis;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service's own data in Redis, in its one slot ("quote:{quote}:", <see cref="ServiceKeys"/>): each account one JSON
/// document (<see cref="JsonDocuments{TDocument}"/>), and beside it, in the same transaction, the
/// case index, the schedules the clock jobs read, and the hand-offs to other services (the outbox).
/// </summary>
public sealed class QuoteStore(IConnectionMultiplexer redis, Outbox outbox, WriteAcknowledgement? acknowledgement = null)
{
    private static readonly string Prefix = ServiceKeys.Prefix("quote");

    /// <summary>Due return kits: account ids scored by the instant (Unix ms) the kit is due.</summary>
    public static readonly RedisKey ReturnKitsDue = Prefix + "return-kits-due";

    /// <summary>Dealer-purchase holds: account ids scored by the instant (Unix ms) the hold ends.</summary>
    public static readonly RedisKey HoldsEnding = Prefix + "holds-ending";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly JsonDocuments<LeaseAccountRecord> _accounts = new(redis, Prefix + "account:", Prefix + "request:", "lease account", Json, acknowledgement);

    private readonly JsonDocuments<DealerRecord> _dealers = new(redis, Prefix + "dealer:", Prefix + "request:", "dealer", Json, acknowledgement);

    public Outbox Outbox => outbox;

    private IDatabase Database => redis.GetDatabase();

    private static RedisKey CaseKey(string caseId) => Prefix + "case:" + caseId;

    private static RedisKey VinKey(string vin) => Prefix + "vin:" + vin;

    public Task<LeaseAccountRecord?> FindAsync(string accountId) => _accounts.FindAsync(accountId);

    public async Task<LeaseAccountRecord> GetAsync(string accountId) =>
        await FindAsync(accountId) ?? throw DomainException.NotFound($"no lease account {accountId}");

    /// <summary>A dealer of the registry, or null.</summary>
    public Task<DealerRecord?> FindDealerAsync(string dealerId) => _dealers.FindAsync(dealerId);

    /// <summary>Registers a dealer (again), as <see cref="ChangeAsync{T}"/> changes an account: once per request id.</summary>
    public Task<DealerRecord> RegisterDealerAsync(string dealerId, IdempotentRequest request, Func<DealerRecord?, DealerRecord> decide) =>
        _dealers.ChangeAsync(dealerId, request, existing => { var dealer = decide(existing); return new DocumentChange<DealerRecord, DealerRecord>(dealer, dealer); });

    /// <summary>The account a case belongs to; NotFound if there is no such case.</summary>
    public async Task<string> AccountOfCaseAsync(string caseId)
    {
        var accountId = string.IsNullOrWhiteSpace(caseId) ? RedisValue.Null : await Database.StringGetAsync(CaseKey(caseId));
        return accountId.IsNull ? throw QuoteAccess.NoSuchCase(caseId) : accountId.ToString();
    }

    /// <summary>The latest account leasing a vehicle, or null.</summary>
    public async Task<string?> AccountOfVinAsync(string vin) => (string?)await Database.StringGetAsync(VinKey(vin));

    /// <summary>
    /// Applies a change asked by <paramref name="request"/>. A repeat of the request id with the
    /// same content returns the first answer and changes nothing; with other content it is refused.
    /// <paramref name="decide"/> sees the account as stored (null if there is none) and may refuse by throwing.
    /// </summary>
    public Task<T> ChangeAsync<T>(string accountId, IdempotentRequest request, Func<LeaseAccountRecord?, Decision<T>> decide)
        where T : class =>
        _accounts.ChangeAsync(accountId, request, account => Stored(accountId, decide(account)));

    /// <summary>
    /// Applies a change the service makes on its own (a clock job). <paramref name="decide"/>
    /// returns null when there is nothing to do. True when a change was written.
    /// </summary>
    public Task<bool> ChangeAsync(string accountId, Func<LeaseAccountRecord, Decision<bool>?> decide) =>
        _accounts.ChangeAsync(accountId, account => decide(account) is { } decision ? Stored(accountId, decision) : null);

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

    private DocumentChange<LeaseAccountRecord, T> Stored<T>(string accountId, Decision<T> decision) =>
        new(decision.Account, decision.Response, decision.SideRecords.Count == 0 ? null
            : transaction => Task.WhenAll(decision.SideRecords.Select(record => Write(transaction, accountId, record))));

    /// <summary>A side record as Redis holds it.</summary>
    private Task Write(ITransaction transaction, string accountId, SideRecord record) => record switch
    {
        SideRecord.CaseIndexed indexed => transaction.StringSetAsync(CaseKey(indexed.CaseId), accountId),
        SideRecord.VinIndexed indexed => transaction.StringSetAsync(VinKey(indexed.Vin), accountId),
        SideRecord.ReturnKitScheduled kit => transaction.SortedSetAddAsync(ReturnKitsDue, accountId, kit.DueAt.ToUnixTimeMilliseconds()),
        SideRecord.ReturnKitUnscheduled => transaction.SortedSetRemoveAsync(ReturnKitsDue, accountId),
        SideRecord.HoldScheduled hold => transaction.SortedSetAddAsync(HoldsEnding, accountId, hold.EndsAt.ToUnixTimeMilliseconds()),
        SideRecord.HoldUnscheduled => transaction.SortedSetRemoveAsync(HoldsEnding, accountId),
        SideRecord.QueuedForRemarketing { HandOff: var handOff } => outbox.AddAsync(transaction,
            HandOff.To(InspectionService.Descriptor.FindMethodByName(nameof(InspectionService.InspectionServiceClient.ScheduleInspection)), ProtoViews.ToInspection(handOff), handOff.Journey)),
        _ => throw new ArgumentOutOfRangeException(nameof(record), record, "a side record the store does not know"),
    };
}
