using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Clients;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// Delivers the outbox: each hand-off is called on its receiver (<see cref="HandOffClient"/>, with this service's token) and
/// deleted once the receiver answers OK. Failures are retried with a growing wait; a hand-off the
/// receiver keeps refusing as wrong moves to the failed stream with its error. One instance
/// delivers at a time (a lease in Redis); a repeat after a crash is harmless, since receivers
/// answer a repeated request id with their first answer.
/// </summary>
public sealed partial class HandOffSender(
    Outbox outbox, IConnectionMultiplexer redis, GrpcClientFactory clients,
    IOptions<HandOffOptions> options, HandOffMetrics metrics, HandOffRetryClock retryClock, ILogger<HandOffSender> logger) : BackgroundService
{
    public const string ActivitySourceName = "Remarketing.HandOffs";

    private const int MostPerRound = 1000;
    private static readonly ActivitySource Source = new(ActivitySourceName);

    private const string HoldLeaseScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        return 0
        """;

    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, HandOffClient> _receivers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Method<byte[], byte[]>> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RedisValue, Retry> _retries = new();

    private HandOffOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
                await outbox.WaitForWriteAsync(Options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                CouldNotLook(logger, exception, outbox.Service);
                await Task.Delay(Options.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Delivers every hand-off whose time has come (all, on a first look); how many the receivers acknowledged.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var holds = (long)await database.ScriptEvaluateAsync(HoldLeaseScript, [outbox.SenderLease],
            [_instance, (long)(Options.CallTimeout + Options.PollInterval).TotalMilliseconds * 3]);
        if (holds == 0)
            return 0;

        var entries = await database.StreamRangeAsync(outbox.Pending, "-", "+", MostPerRound);
        var now = retryClock.Time.GetTimestamp();
        var due = entries.Where(entry => !_retries.TryGetValue(entry.Id, out var retry) || retry.NextAttemptAt <= now).ToList();
        // Receivers in parallel; to one receiver, in the order written.
        var delivered = await Task.WhenAll(due.GroupBy(entry => AreaOf(entry))
            .Select(async group =>
            {
                var count = 0;
                foreach (var entry in group)
                    count += await DeliverAsync(database, entry, cancellationToken) ? 1 : 0;
                return count;
            }));
        var live = entries.Select(entry => entry.Id).ToHashSet();
        foreach (var gone in _retries.Keys.Where(id => !live.Contains(id)))
            _retries.TryRemove(gone, out _);
        return delivered.Sum();
    }

    private static string AreaOf(StreamEntry entry) => ContractCatalog.FindByPath((string)entry[HandOffField.Operation]!)?.Area ?? "";

    private async Task<bool> DeliverAsync(IDatabase database, StreamEntry entry, CancellationToken cancellationToken)
    {
        var path = (string)entry[HandOffField.Operation]!;
        var handOffId = (string)entry[HandOffField.Id]!;
        if (ContractCatalog.FindByPath(path) is not { } operation)
        {
            await MoveToFailedAsync(database, entry, $"{path} is not an operation of the contracts", 1);
            return false;
        }

        ActivityContext.TryParse((string?)entry[HandOffField.TraceParent], null, out var journey);
        ActivityLink[] links = ActivityContext.TryParse((string?)entry[HandOffField.Cause], null, out var cause) ? [new ActivityLink(cause)] : [];
        using var activity = Source.StartActivity(ActivityKind.Producer, journey, links: links, name: $"hand-off {operation.Method}");
        activity?.SetTag("remarketing.handoff.id", handOffId);
        try
        {
            await ReceiverOf(operation.Area).CallAsync(MethodOf(operation), (byte[])entry[HandOffField.Body]!,
                new CallOptions(deadline: DateTime.UtcNow + Options.CallTimeout, cancellationToken: cancellationToken));
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or HttpRequestException)
        {
            var status = exception is RpcException rpc ? rpc.StatusCode : StatusCode.Unavailable;
            var error = exception is RpcException failed ? $"{failed.StatusCode}: {failed.Status.Detail}" : exception.Message;
            activity?.SetStatus(ActivityStatusCode.Error, error);
            metrics.AttemptFailed(operation.Method, status.ToString());
            var retry = _retries.AddOrUpdate(entry.Id, _ => Retry.First(status), (_, previous) => previous.Next(status));
            if (retry.Refusals >= Options.RefusalsBeforeFailed)
            {
                await MoveToFailedAsync(database, entry, error, retry.Attempts);
                return false;
            }
            var wait = TimeSpan.FromTicks(Math.Min(Options.MaxBackoff.Ticks, Options.FirstBackoff.Ticks << Math.Min(retry.Attempts - 1, 20)));
            _retries[entry.Id] = retry with { NextAttemptAt = retryClock.After(wait) };
            if (retry.Attempts == 1 || retry.Attempts % 10 == 0)
                NotDelivered(logger, operation.Method, handOffId, retry.Attempts, error, wait);
            return false;
        }

        if (Outbox.ThenOf(entry) is { Count: > 0 } waiting)
        {
            // What waited on this hand-off goes out now, in the same step that removes it: a crash leaves either both or neither.
            var transaction = database.CreateTransaction();
            var written = waiting.Select(next => outbox.AddWaitingAsync(transaction, next, entry)).ToList();
            _ = transaction.StreamDeleteAsync(outbox.Pending, [entry.Id]);
            await transaction.ExecuteAsync();
            await Task.WhenAll(written);
        }
        else
        {
            await database.StreamDeleteAsync(outbox.Pending, [entry.Id]);
        }
        _retries.TryRemove(entry.Id, out _);
        metrics.Delivered(operation.Method);
        return true;
    }

    private async Task MoveToFailedAsync(IDatabase database, StreamEntry entry, string error, int attempts)
    {
        var transaction = database.CreateTransaction();
        _ = transaction.StreamAddAsync(outbox.Failed,
            [.. entry.Values, new(HandOffField.Error, error), new(HandOffField.Attempts, attempts)]);
        _ = transaction.StreamDeleteAsync(outbox.Pending, [entry.Id]);
        await transaction.ExecuteAsync();
        _retries.TryRemove(entry.Id, out _);
        MovedToFailed(logger, (string?)entry[HandOffField.Operation], (string?)entry[HandOffField.Id], attempts, error);
    }

    private HandOffClient ReceiverOf(string area) => _receivers.GetOrAdd(area, receiver => clients.CreateClient<HandOffClient>(ServiceClientExtensions.ClientName<HandOffClient>(receiver)));

    private Method<byte[], byte[]> MethodOf(ContractOperation operation) =>
        _methods.GetOrAdd(operation.Path, _ => HandOffClient.MethodOf(operation.Service, operation.Method));

    /// <summary>How a hand-off's delivery has gone: attempts so far, refusals in a row, and when to try again (a timestamp of the retry clock).</summary>
    private sealed record Retry(int Attempts, int Refusals, long NextAttemptAt)
    {
        public static Retry First(StatusCode status) => new(1, IsRefusal(status) ? 1 : 0, 0);

        public Retry Next(StatusCode status) => new(Attempts + 1, IsRefusal(status) ? Refusals + 1 : 0, NextAttemptAt);

        /// <summary>The receiver says the hand-off itself is wrong, not that it cannot take it now.</summary>
        private static bool IsRefusal(StatusCode status) => status is StatusCode.InvalidArgument or StatusCode.NotFound
            or StatusCode.FailedPrecondition or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented
            or StatusCode.AlreadyExists or StatusCode.OutOfRange;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} could not look at its outbox; looking again shortly")]
    private static partial void CouldNotLook(ILogger logger, Exception exception, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "hand-off {Operation} {HandOffId} not delivered (attempt {Attempts}): {Error}; next try in {Wait}")]
    private static partial void NotDelivered(ILogger logger, string operation, string handOffId, int attempts, string error, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "hand-off {Operation} {HandOffId} moved to the failed stream after {Attempts} attempts: {Error}")]
    private static partial void MovedToFailed(ILogger logger, string? operation, string? handOffId, int attempts, string error);
}
