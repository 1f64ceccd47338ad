using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// The remarketing center's hands on the hand-offs a receiver kept refusing: list them, replay one
/// (back into the outbox with its first hand-off id, so the receiver takes it at most once) after
/// correcting what was refused, or discard one with a reason. Every replay and discard is kept on
/// the resolved stream: who, when, why, and the hand-off itself.
/// </summary>
public sealed partial class FailedHandOffs(Outbox outbox, IConnectionMultiplexer redis)
{
    public const int MostReasonLength = 500;

    private const string Replay = "replay";
    private const string Discard = "discard";

    // KEYS: failed, pending, resolved, requests. ARGV: request id, entry id, action, by, reason, now (Unix ms).
    // A request id answers with its first resolution; the entry moves in one step, so a retry never replays twice.
    private const string ResolveScript = """
        local done = redis.call('HGET', KEYS[4], ARGV[1])
        if done then return done end
        local found = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
        if #found == 0 then return false end
        local fields = found[1][2]
        local resolved = {}
        local pending = {}
        for i = 1, #fields, 2 do
          table.insert(resolved, fields[i]); table.insert(resolved, fields[i + 1])
          if fields[i] ~= 'error' and fields[i] ~= 'attempts' and fields[i] ~= 'at' then
            table.insert(pending, fields[i]); table.insert(pending, fields[i + 1])
          end
        end
        for _, field in ipairs({ 'entry', ARGV[2], 'action', ARGV[3], 'by', ARGV[4], 'reason', ARGV[5], 'request', ARGV[1] }) do
          table.insert(resolved, field)
        end
        local id = redis.call('XADD', KEYS[3], '*', unpack(resolved))
        if ARGV[3] == 'replay' then
          table.insert(pending, 'at'); table.insert(pending, ARGV[6])
          redis.call('XADD', KEYS[2], '*', unpack(pending))
        end
        redis.call('XDEL', KEYS[1], ARGV[2])
        redis.call('HSET', KEYS[4], ARGV[1], id)
        return id
        """;

    private RedisKey Resolved => outbox.Beside("resolved");

    private RedisKey ResolvedRequests => outbox.Beside("resolved:requests");

    public async Task<ListFailedHandOffsResponse> ListAsync(PageRequest? page)
    {
        var size = Paging.Size(page?.PageSize ?? 0);
        var after = page?.PageToken is { Length: > 0 } token ? $"({EntryId(token, "page_token")}" : "-";
        var database = redis.GetDatabase();
        var entries = await database.StreamRangeAsync(outbox.Failed, after, "+", size + 1);
        var response = new ListFailedHandOffsResponse
        {
            Page = new PageInfo { NextPageToken = entries.Length > size ? entries[size - 1].Id.ToString() : "" },
            Pending = await database.StreamLengthAsync(outbox.Pending),
        };
        response.HandOffs.AddRange(entries.Take(size).Select(entry => View(entry.Id, entry)));
        return response;
    }

    public Task<FailedHandOff> ReplayAsync(Caller caller, ReplayHandOffRequest request) =>
        ResolveAsync(caller, request.RequestId, request.EntryId, Replay, "");

    public Task<FailedHandOff> DiscardAsync(Caller caller, DiscardHandOffRequest request)
    {
        var reason = request.Reason.Trim();
        if (reason.Length is 0 or > MostReasonLength)
            throw DomainException.InvalidArgument($"reason is required, 1-{MostReasonLength} characters: why this hand-off will never be delivered");
        return ResolveAsync(caller, request.RequestId, request.EntryId, Discard, reason);
    }

    private async Task<FailedHandOff> ResolveAsync(Caller caller, string requestId, string entryId, string action, string reason)
    {
        IdempotentRequest.Of(action, caller, requestId, entryId);
        EntryId(entryId, "entry_id");
        var database = redis.GetDatabase();
        var resolvedId = (string?)await database.ScriptEvaluateAsync(ResolveScript,
            [outbox.Failed, outbox.Pending, Resolved, ResolvedRequests],
            [requestId, entryId, action, $"{caller.Role}:{caller.Subject}", reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()]);
        if (resolvedId is null)
        {
            throw DomainException.NotFound(
                $"{outbox.Service} has no failed hand-off {entryId}: it was replayed or discarded already, or never failed (ListFailedHandOffs shows what is there)");
        }

        var resolved = (await database.StreamRangeAsync(Resolved, resolvedId, resolvedId, 1)).Single();
        if ((string?)resolved["entry"] != entryId || (string?)resolved["action"] != action)
        {
            throw DomainException.InvalidArgument(
                $"request_id {requestId} was already used to {resolved["action"]} hand-off {resolved["entry"]}: choose a new request id for another request");
        }
        if (action == Replay)
            outbox.Wake();
        return View(entryId, resolved);
    }

    private static FailedHandOff View(RedisValue entryId, StreamEntry entry)
    {
        var path = (string?)entry[HandOffField.Operation] ?? "";
        var body = (byte[]?)entry[HandOffField.Body] ?? [];
        return new FailedHandOff
        {
            EntryId = entryId.ToString(),
            HandOffId = (string?)entry[HandOffField.Id] ?? "",
            Operation = path,
            RequestJson = ContractCatalog.FindByPath(path) is { } operation
                ? JsonFormatter.Default.Format(operation.Descriptor.InputType.Parser.ParseFrom(body))
                : "",
            Error = (string?)entry[HandOffField.Error] ?? "",
            Attempts = (int)entry[HandOffField.Attempts],
            WrittenAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds((long)entry[HandOffField.WrittenAt])),
            FailedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(StreamMilliseconds(entryId))),
        };
    }

    private static long StreamMilliseconds(RedisValue entryId) => long.Parse(entryId.ToString().Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static string EntryId(string value, string field) =>
        StreamEntryId().IsMatch(value) ? value
        : throw DomainException.InvalidArgument($"{field} '{value}' is not an entry id: pass FailedHandOff.entry_id (or next_page_token) as ListFailedHandOffs gave it");

    [GeneratedRegex(@"^\d{1,20}-\d{1,20}$")]
    private static partial Regex StreamEntryId();
}
