using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

/// <summary>
/// Redis' persistence in health, from INFO (persistence, stats, server): whether the append-only
/// file is on and its last write and rewrite succeeded, how many commands Redis refused while
/// replaying it (or from a master), and how long ago a rewrite was last seen. Degraded when an
/// acknowledged write could be lost: the file off, a failed write or rewrite, a refused replay.
/// </summary>
public sealed class RedisPersistenceHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    private readonly Lock _lock = new();
    private (string RunId, long Rewrites, DateTimeOffset SeenAt)? _lastRewrite;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        PersistenceReading reading;
        try
        {
            reading = await PersistenceReading.ReadAsync(redis);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis' persistence cannot be read: Redis does not answer", exception);
        }

        // Real time, not the shared clock: this is about the machine.
        return Judge(reading, TimeProvider.System.GetUtcNow());
    }

    /// <summary>The verdict on one reading; remembers when the rewrite count last moved.</summary>
    public HealthCheckResult Judge(PersistenceReading reading, DateTimeOffset now)
    {
        DateTimeOffset? rewriteSeenAt;
        lock (_lock)
        {
            if (_lastRewrite is not { } last || last.RunId != reading.RunId || last.Rewrites != reading.Rewrites)
                _lastRewrite = (reading.RunId, reading.Rewrites, reading.Rewrites == 0 ? now - reading.Uptime : now);
            rewriteSeenAt = reading.Rewrites == 0 ? null : _lastRewrite.Value.SeenAt;
        }

        var problems = new List<string>();
        if (!reading.AppendOnly)
            problems.Add("the append-only file is off: a restart loses every write since the last snapshot");
        if (reading.LastWriteStatus != "ok")
            problems.Add($"the last write to the append-only file failed ({reading.LastWriteStatus}): Redis refuses writes until it succeeds");
        if (reading.LastRewriteStatus != "ok")
            problems.Add($"the last rewrite of the append-only file failed ({reading.LastRewriteStatus}, {reading.RewriteFailuresInARow} in a row)");
        if (reading.RefusedWhileReplaying > 0)
            problems.Add($"Redis refused {reading.RefusedWhileReplaying} commands while replaying its append-only file or its master's stream: data may be missing (see its log)");

        var rewrite = reading.Rewrites == 0
            ? $"no rewrite since Redis started {Ago(reading.Uptime)}"
            : $"{reading.Rewrites} rewrites since Redis started, the last seen {Ago(now - rewriteSeenAt!.Value)}";
        var size = string.Create(CultureInfo.InvariantCulture, $"{reading.FileBytes / 1_048_576.0:0.0} MiB ({reading.BaseBytes / 1_048_576.0:0.0} MiB at its last rewrite)");
        var description = $"append-only file {(reading.AppendOnly ? "on" : "OFF")}, last write {reading.LastWriteStatus}, {rewrite}; {size}" +
            (problems.Count == 0 ? "" : "; " + string.Join("; ", problems));
        var data = new Dictionary<string, object>
        {
            ["aof_enabled"] = reading.AppendOnly,
            ["aof_last_write_status"] = reading.LastWriteStatus,
            ["aof_last_bgrewrite_status"] = reading.LastRewriteStatus,
            ["unexpected_error_replies"] = reading.RefusedWhileReplaying,
            ["aof_rewrites"] = reading.Rewrites,
            ["seconds_since_rewrite"] = Math.Round((now - (rewriteSeenAt ?? now - reading.Uptime)).TotalSeconds),
        };
        return problems.Count == 0 ? HealthCheckResult.Healthy(description, data) : HealthCheckResult.Degraded(description, data: data);
    }

    private static string Ago(TimeSpan elapsed) => elapsed switch
    {
        { TotalMinutes: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0} s ago"),
        { TotalHours: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMinutes:0} min ago"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalHours:0.0} h ago"),
    };
}

/// <summary>What INFO says of Redis' persistence.</summary>
/// <param name="RefusedWhileReplaying">INFO stats' unexpected_error_replies: errors Redis sent to the client replaying its append-only file, or to its master.</param>
/// <param name="Rewrites">Rewrites of the append-only file started since Redis started; <paramref name="RewriteInProgress"/>, one runs now.</param>
public sealed record PersistenceReading(
    string RunId, TimeSpan Uptime, bool AppendOnly, string LastWriteStatus, string LastRewriteStatus, long RewriteFailuresInARow,
    long RefusedWhileReplaying, long Rewrites, long FileBytes, long BaseBytes, bool RewriteInProgress = false)
{
    /// <summary>Reads INFO's server, persistence and stats sections (nothing about other services' keys: not the keyspace section).</summary>
    public static async Task<PersistenceReading> ReadAsync(IConnectionMultiplexer redis)
    {
        var text = (string?)await redis.GetDatabase().ExecuteAsync("INFO", "server", "persistence", "stats") ?? "";
        return From(text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#') && line.Contains(':', StringComparison.Ordinal))
            .Select(line => line.Split(':', 2))
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.First()[1], StringComparer.Ordinal));
    }

    public static PersistenceReading From(IReadOnlyDictionary<string, string> info)
    {
        string Text(string key) => info.TryGetValue(key, out var value) ? value : "";
        long Number(string key) => long.TryParse(Text(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new(Text("run_id"), TimeSpan.FromSeconds(Number("uptime_in_seconds")), Number("aof_enabled") == 1, Text("aof_last_write_status"),
            Text("aof_last_bgrewrite_status"), Number("aof_rewrites_consecutive_failures"), Number("unexpected_error_replies"), Number("aof_rewrites"),
            Number("aof_current_size"), Number("aof_base_size"), Number("aof_rewrite_in_progress") == 1);
    }
}
