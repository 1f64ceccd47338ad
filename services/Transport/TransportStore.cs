using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Remarketing.Contracts;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;
using Remarketing.Transport.Domain;
using StackExchange.Redis;

namespace Remarketing.Transport;

/// <summary>
/// The Transport service's own data in Redis, in its one slot ("transport:{transport}:", <see cref="ServiceKeys"/>): each order one JSON
/// document (<see cref="JsonDocuments{TDocument}"/>), and beside it, in the same transaction, its
/// log (a stream per order, for WatchOrder), the indexes each kind of caller lists by, the
/// due-time schedules, the document index, and the hand-offs to Quote (the outbox).
/// </summary>
/// <remarks>
/// The listing indexes are sorted sets of "&lt;Unix ms, 15 digits&gt;|&lt;order id&gt;" members at
/// score 0, read in lexical order: oldest first, and a member is a page token that stays valid
/// however the index changes.
/// </remarks>
public sealed class TransportStore(IConnectionMultiplexer redis, Outbox outbox, WriteAcknowledgement? acknowledgement = null)
{
    private static readonly string Prefix = ServiceKeys.Prefix("transport");

    /// <summary>
    /// Wakes the WatchOrder streams of every instance: "&lt;order id&gt; &lt;sequence&gt;" after each change.
    /// Sharded pub/sub in the service's slot, published in the change's own transaction.
    /// </summary>
    public static readonly RedisChannel Changes = RedisChannel.Sharded(Prefix + "changes");

    /// <summary>Entries kept on one order's log (approximately); each carries the whole order, so a trimmed log loses only history.</summary>
    private const int LogLength = 1000;

    /// <summary>Every order, for the remarketing center.</summary>
    public static readonly RedisKey AllOrders = Prefix + "orders";

    /// <summary>Transporter pickups no carrier has taken.</summary>
    public static readonly RedisKey AwaitingCarrier = Prefix + "awaiting-carrier";

    /// <summary>Orders not yet released, by due time: where overdue orders are listed from.</summary>
    public static readonly RedisKey Due = Prefix + "due";

    /// <summary>Orders whose overdue time the clock job has still to notice, scored by due time (Unix ms).</summary>
    private static readonly RedisKey OverdueChecks = Prefix + "overdue-checks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly JsonDocuments<PickupOrderRecord> _orders = new(redis, Prefix + "order:", Prefix + "request:", "pickup order", Json, acknowledgement);

    public Outbox Outbox => outbox;

    private IDatabase Database => redis.GetDatabase();

    public static RedisKey AtLot(string dealerId) => $"{Prefix}dealer:{CompositeKey.Of(dealerId)}";

    public static RedisKey BoughtBy(string buyerId) => $"{Prefix}buyer:{CompositeKey.Of(buyerId)}";

    public static RedisKey CarriedBy(string carrierId) => $"{Prefix}carrier:{CompositeKey.Of(carrierId)}";

    public static RedisKey Log(string orderId) => $"{Prefix}log:{orderId}";

    /// <summary>Every order of one return case: a vehicle leaves its lot once.</summary>
    public static RedisKey OfCase(string caseId) => $"{Prefix}case:{CompositeKey.Of(caseId)}";

    private static RedisKey Document(string documentId) => $"{Prefix}document:{CompositeKey.Of(documentId)}";

    public Task<PickupOrderRecord?> FindAsync(string orderId) => _orders.FindAsync(orderId);

    /// <summary>Every pickup order of a return case.</summary>
    public async Task<IReadOnlyList<PickupOrderRecord>> OrdersOfCaseAsync(string caseId) =>
        await _orders.FindManyAsync((await Database.SetMembersAsync(OfCase(caseId))).Select(id => (string)id!));

    /// <summary>
    /// Applies a change asked by <paramref name="request"/>. A repeat of the request id with the
    /// same content returns the first answer and changes nothing; with other content it is refused.
    /// <paramref name="decide"/> sees the order as stored (null if there is none) and may refuse by throwing.
    /// </summary>
    public Task<T> ChangeAsync<T>(string orderId, IdempotentRequest request, Func<PickupOrderRecord?, Decision<T>> decide)
        where T : class =>
        _orders.ChangeAsync(orderId, request, order => Stored(decide(order)));

    /// <summary>A change the service makes on its own (a clock job); <paramref name="decide"/> returns null when there is nothing to do.</summary>
    public Task<bool> ChangeAsync(string orderId, Func<PickupOrderRecord, Decision<bool>?> decide) =>
        _orders.ChangeAsync(orderId, order => decide(order) is { } decision ? Stored(decision) : null);

    /// <summary>The order a proof of sale or bill of lading was issued for, if this service knows it.</summary>
    public async Task<string?> OrderOfDocumentAsync(string documentId)
    {
        var orderId = await Database.StringGetAsync(Document(documentId));
        return orderId.IsNull ? null : orderId.ToString();
    }

    /// <summary>Orders whose due time has come at <paramref name="now"/> and that the clock job has not looked at since.</summary>
    public async Task<IReadOnlyList<string>> OverdueChecksAsync(DateTimeOffset now, int limit = 500) =>
        (await Database.SortedSetRangeByScoreAsync(OverdueChecks, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: limit))
        .Select(member => member.ToString()).ToList();

    public Task ForgetOverdueCheckAsync(string orderId) => Database.SortedSetRemoveAsync(OverdueChecks, orderId);

    /// <summary>The order's log after <paramref name="afterSequence"/>, oldest first, at most <paramref name="count"/> entries.</summary>
    public async Task<IReadOnlyList<LoggedChange>> LogAfterAsync(string orderId, long afterSequence, int count)
    {
        var entries = await Database.StreamRangeAsync(Log(orderId), $"{afterSequence + 1}-0", "+", count);
        return entries.Select(entry => new LoggedChange(
            long.Parse(((string)entry.Id!).Split('-')[0], CultureInfo.InvariantCulture),
            Enum.Parse<OrderChange>((string)entry["change"]!),
            DateTimeOffset.FromUnixTimeMilliseconds((long)entry["at"]),
            JsonSerializer.Deserialize<PickupOrderRecord>((byte[])entry["order"]!, Json)
                ?? throw new InvalidOperationException($"an empty order on the log of {orderId}"))).ToList();
    }

    /// <summary>
    /// A page of the orders <paramref name="caller"/> is part of (by the index of its kind of
    /// caller, oldest first) or, with <paramref name="overdueOnly"/>, of the orders due before
    /// <paramref name="now"/> (by due time), keeping those <paramref name="keep"/> accepts.
    /// </summary>
    public Task<(IReadOnlyList<PickupOrderRecord> Orders, string NextPageToken)> PageAsync(
        Caller caller, bool overdueOnly, DateTimeOffset now, string after, int size, Func<PickupOrderRecord, bool> keep)
    {
        if (overdueOnly)
            return PageAsync([Due], after, MemberFrom(now.AddMilliseconds(1)), size, keep);
        RedisKey[] indexes = caller.Role switch
        {
            RoleNames.Remarketing or RoleNames.Service => [AllOrders],
            RoleNames.GroundingDealer => [AtLot(caller.Subject)],
            RoleNames.Buyer => [BoughtBy(caller.Subject)],
            RoleNames.Transporter => [AwaitingCarrier, CarriedBy(caller.Subject)],
            _ => [],
        };
        return PageAsync(indexes, after, "", size, keep);
    }

    /// <summary>
    /// A page of orders from the indexes <paramref name="indexes"/> (merged, in member order), after
    /// <paramref name="after"/> and below <paramref name="below"/>, keeping those <paramref name="keep"/>
    /// accepts. Looks at no more than <paramref name="mostToExamine"/> members per call, so a caller
    /// who sees few of many is answered with a shorter page and a token to go on.
    /// </summary>
    /// <param name="after">A page token (an index member); empty for the first page.</param>
    /// <param name="below">Members from this one on are left out; empty for none.</param>
    private async Task<(IReadOnlyList<PickupOrderRecord> Orders, string NextPageToken)> PageAsync(
        IReadOnlyList<RedisKey> indexes, string after, string below, int size, Func<PickupOrderRecord, bool> keep, int mostToExamine = 2000)
    {
        var page = new List<PickupOrderRecord>();
        var cursor = after;
        var examined = 0;
        const int Batch = 200;
        while (true)
        {
            var min = cursor.Length == 0 ? RedisValue.Null : (RedisValue)cursor;
            var max = below.Length == 0 ? RedisValue.Null : (RedisValue)below;
            var exclude = (cursor.Length == 0 ? Exclude.None : Exclude.Start) | (below.Length == 0 ? Exclude.None : Exclude.Stop);
            var batches = await Task.WhenAll(indexes.Select(index => Database.SortedSetRangeByValueAsync(index, min, max, exclude, Order.Ascending, 0, Batch)));
            // A full batch may stop short of another index's members: only members up to the
            // lowest last member of a full batch are known to be every index's.
            var bound = batches.Where(batch => batch.Length == Batch).Select(batch => (string)batch[^1]!).Min(StringComparer.Ordinal);
            var members = batches.SelectMany(batch => batch).Select(member => (string)member!)
                .Where(member => bound is null || string.CompareOrdinal(member, bound) <= 0)
                .Distinct().Order(StringComparer.Ordinal).ToList();
            var orders = (await _orders.FindManyAsync(members.Select(OrderIdOf))).ToDictionary(order => order.OrderId);
            foreach (var member in members)
            {
                cursor = member;
                examined++;
                if (orders.TryGetValue(OrderIdOf(member), out var order) && keep(order))
                {
                    page.Add(order);
                    if (page.Count == size)
                        return (page, cursor);
                }
            }
            if (bound is null)
                return (page, "");
            if (examined >= mostToExamine)
                return (page, cursor);
        }
    }

    /// <summary>An index member: when (Unix ms), then which order.</summary>
    public static string Member(DateTimeOffset at, string orderId) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeMilliseconds():D15}|{orderId}");

    /// <summary>The first member at or after <paramref name="at"/> (its Unix ms).</summary>
    public static string MemberFrom(DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeMilliseconds():D15}");

    public static bool IsMember(string token) =>
        token.Length > 16 && token[15] == '|' && token[..15].All(char.IsAsciiDigit);

    internal static string OrderIdOf(string member) => member[16..];

    private DocumentChange<PickupOrderRecord, T> Stored<T>(Decision<T> decision) =>
        new(decision.Order, decision.Response, decision.Change is null && decision.SideRecords.Count == 0 ? null
            : transaction => Task.WhenAll(LogWrites(transaction, decision).Concat(decision.SideRecords.SelectMany(record => Write(transaction, record)))));

    private static IEnumerable<Task> LogWrites<T>(ITransaction transaction, Decision<T> decision)
    {
        if (decision.Change is not { } change)
            yield break;
        var order = decision.Order;
        yield return transaction.StreamAddAsync(Log(order.OrderId),
            [
                new("change", change.ToString()),
                new("at", decision.At.ToUnixTimeMilliseconds()),
                new("order", JsonSerializer.SerializeToUtf8Bytes(order, Json)),
            ],
            $"{order.Sequence}-0", LogLength, useApproximateMaxLength: true);
        yield return transaction.PublishAsync(Changes, $"{order.OrderId} {order.Sequence}");
    }

    /// <summary>A side record as Redis holds it.</summary>
    private IEnumerable<Task> Write(ITransaction transaction, SideRecord record)
    {
        switch (record)
        {
            case SideRecord.OrderIndexed { Order: var order }:
                var member = Member(order.CreatedAt, order.OrderId);
                yield return transaction.SortedSetAddAsync(AllOrders, member, 0);
                yield return transaction.SortedSetAddAsync(AtLot(order.GroundingDealerId), member, 0);
                yield return transaction.SetAddAsync(OfCase(order.CaseId), order.OrderId);
                if (order.Kind == PickupType.Buyer)
                {
                    yield return transaction.SortedSetAddAsync(BoughtBy(order.BuyerDealerId), member, 0);
                    yield return transaction.StringSetAsync(Document(order.ProofOfSaleId), order.OrderId);
                }
                else
                {
                    yield return transaction.SortedSetAddAsync(AwaitingCarrier, member, 0);
                }
                yield return transaction.SortedSetAddAsync(Due, Member(order.DueBy, order.OrderId), 0);
                yield return transaction.SortedSetAddAsync(OverdueChecks, order.OrderId, order.DueBy.ToUnixTimeMilliseconds());
                break;
            case SideRecord.CarrierIndexed { Order: var order, PreviousCarrierId: var previous }:
                var carried = Member(order.CreatedAt, order.OrderId);
                yield return transaction.SortedSetRemoveAsync(AwaitingCarrier, carried);
                if (previous.Length > 0 && previous != order.CarrierId)
                    yield return transaction.SortedSetRemoveAsync(CarriedBy(previous), carried);
                yield return transaction.SortedSetAddAsync(CarriedBy(order.CarrierId), carried, 0);
                if (order.Bill is { } bill)
                    yield return transaction.StringSetAsync(Document(bill.Id), order.OrderId);
                break;
            case SideRecord.Unscheduled { Order: var order }:
                yield return transaction.SortedSetRemoveAsync(Due, Member(order.DueBy, order.OrderId));
                yield return transaction.SortedSetRemoveAsync(OverdueChecks, order.OrderId);
                break;
            case SideRecord.OverdueNoted { Order: var order }:
                yield return transaction.SortedSetRemoveAsync(OverdueChecks, order.OrderId);
                break;
            case SideRecord.CaseEventReported { Report: var report }:
                yield return outbox.AddAsync(transaction,
                    HandOff.To(QuoteService.Descriptor.FindMethodByName(nameof(QuoteService.QuoteServiceClient.RecordCaseEvent)), ProtoViews.ToQuote(report), report.Journey));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(record), record, "a side record the store does not know");
        }
    }
}
