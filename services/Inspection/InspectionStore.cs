using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Remarketing.Inspection.Domain;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Storage;
using StackExchange.Redis;

namespace Remarketing.Inspection;

/// <summary>
/// The Inspection service's own data in Redis, in its one slot ("inspection:{inspection}:", <see cref="ServiceKeys"/>): each order one JSON
/// document, and beside it, in the same transaction, the indexes by state, the condition report
/// once submitted, and the hand-offs to Quote, Auction and Transport (the outbox).
/// </summary>
public sealed class InspectionStore(IConnectionMultiplexer redis, Outbox outbox, WriteAcknowledgement? acknowledgement = null)
{
    private static readonly string Prefix = ServiceKeys.Prefix("inspection");

    /// <summary>Open and accepted orders by due time (Unix ms): the overdue ones are at the front.</summary>
    public static readonly RedisKey Unfinished = Prefix + "orders:unfinished";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly JsonDocuments<InspectionOrderRecord> _orders = new(redis, Prefix + "order:", Prefix + "request:", "inspection order", Json, acknowledgement);

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Orders in one state, by when they were ordered.</summary>
    public static RedisKey InState(OrderState state) => $"{Prefix}orders:{state}";

    /// <summary>One inspection company's orders in one state, by when they were ordered: what its inspectors list, page by page.</summary>
    private static RedisKey InState(OrderState state, string company) => $"{Prefix}orders:{state}:company:{company}";

    private static RedisKey ReportKey(string reportId) => $"{Prefix}report:{reportId}";

    public Task<InspectionOrderRecord?> FindOrderAsync(string orderId) => _orders.FindAsync(orderId);

    /// <summary>
    /// Orders whose result Quote refused: the results set aside in the outbox's failed stream (the
    /// first <paramref name="most"/>), each with Quote's last answer and its entry, for the replay.
    /// </summary>
    public async Task<IReadOnlyList<PendingOrder>> DisputedAsync(int most)
    {
        var failed = await Database.StreamRangeAsync(outbox.Failed, "-", "+", most);
        var results = failed
            .Where(entry => (string?)entry[HandOffField.Operation] == ProtoViews.ResultOperation)
            .Select(entry => (OrderId: ProtoViews.OrderOfResult((string)entry[HandOffField.Id]!), Entry: entry))
            .Where(result => result.OrderId is not null)
            .ToList();
        var orders = await _orders.FindManyAsync(results.Select(result => result.OrderId!));
        return [.. results.Join(orders, result => result.OrderId, order => order.OrderId,
            (result, order) => new PendingOrder(order, new Dispute((string?)result.Entry[HandOffField.Error] ?? "", result.Entry.Id.ToString())))];
    }

    public async Task<ConditionReportRecord?> FindReportAsync(string reportId)
    {
        var stored = await Database.StringGetAsync(ReportKey(reportId));
        return stored.IsNull ? null : JsonSerializer.Deserialize<ConditionReportRecord>((byte[])stored!, Json);
    }

    /// <summary>Applies a change asked by a request: a repeated request id returns the first answer (see <see cref="JsonDocuments{TDocument}"/>).</summary>
    public Task<T> ChangeAsync<T>(string orderId, IdempotentRequest request, Func<InspectionOrderRecord?, OrderChange<T>> decide)
        where T : class =>
        _orders.ChangeAsync(orderId, request, stored =>
        {
            var change = decide(stored);
            return new DocumentChange<InspectionOrderRecord, T>(change.Order, change.Answer,
                ReferenceEquals(change.Order, stored) ? null : transaction => WriteBeside(transaction, stored, change));
        });

    /// <summary>A page of orders in <paramref name="state"/> (of one <paramref name="company"/>, when given), oldest first; the next page's token is empty on the last.</summary>
    public Task<(IReadOnlyList<InspectionOrderRecord> Orders, string NextPageToken)> PageAsync(OrderState state, int pageSize, string pageToken, string? company = null) =>
        PageAsync(company is null ? InState(state) : InState(state, company), double.PositiveInfinity, pageSize, pageToken);

    /// <summary>A page of unfinished orders due before <paramref name="now"/>.</summary>
    public Task<(IReadOnlyList<InspectionOrderRecord> Orders, string NextPageToken)> OverduePageAsync(DateTimeOffset now, int pageSize, string pageToken) =>
        PageAsync(Unfinished, now.ToUnixTimeMilliseconds() - 1, pageSize, pageToken);

    private async Task<(IReadOnlyList<InspectionOrderRecord> Orders, string NextPageToken)> PageAsync(RedisKey index, double maxScore, int pageSize, string pageToken)
    {
        var size = Paging.Size(pageSize);
        var offset = Paging.Offset(pageToken);
        var ids = await Database.SortedSetRangeByScoreAsync(index, double.NegativeInfinity, maxScore, skip: offset, take: size + 1);
        var orders = await _orders.FindManyAsync(ids.Take(size).Select(id => id.ToString()));
        return (orders, ids.Length > size ? (offset + size).ToString(CultureInfo.InvariantCulture) : "");
    }

    private Task WriteBeside<T>(ITransaction transaction, InspectionOrderRecord? before, OrderChange<T> change)
    {
        var order = change.Order;
        var writes = new List<Task>();
        if (before is not null && before.State != order.State)
        {
            writes.Add(transaction.SortedSetRemoveAsync(InState(before.State), order.OrderId));
            if (before.InspectionCompany.Length > 0)
                writes.Add(transaction.SortedSetRemoveAsync(InState(before.State, before.InspectionCompany), order.OrderId));
        }
        writes.Add(transaction.SortedSetAddAsync(InState(order.State), order.OrderId, order.OrderedAt.ToUnixTimeMilliseconds()));
        if (order.InspectionCompany.Length > 0)
            writes.Add(transaction.SortedSetAddAsync(InState(order.State, order.InspectionCompany), order.OrderId, order.OrderedAt.ToUnixTimeMilliseconds()));
        writes.Add(order.State is OrderState.Open or OrderState.Accepted
            ? transaction.SortedSetAddAsync(Unfinished, order.OrderId, order.DueBy.ToUnixTimeMilliseconds())
            : transaction.SortedSetRemoveAsync(Unfinished, order.OrderId));
        if (change.Report is { } report)
            writes.Add(transaction.StringSetAsync(ReportKey(report.ReportId), JsonSerializer.SerializeToUtf8Bytes(report, Json)));
        writes.AddRange(change.HandOffs.Select(handOff => outbox.AddAsync(transaction, ProtoViews.ToHandOff(handOff) with { Journey = handOff.Order.Journey })));
        return Task.WhenAll(writes);
    }
}
