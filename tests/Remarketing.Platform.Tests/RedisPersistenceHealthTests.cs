using Microsoft.Extensions.Diagnostics.HealthChecks;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>Redis' persistence in each service's health: Degraded whenever an acknowledged write could be lost.</summary>
public sealed class RedisPersistenceHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly PersistenceReading Sound = new(
        RunId: "run-1", Uptime: TimeSpan.FromHours(3), AppendOnly: true, LastWriteStatus: "ok", LastRewriteStatus: "ok", RewriteFailuresInARow: 0,
        RefusedWhileReplaying: 0, Rewrites: 0, FileBytes: 3 * 1_048_576, BaseBytes: 2 * 1_048_576);

    [Fact]
    public void ASoundAppendOnlyFile_IsHealthy_AndSaysWhenItWasLastRewritten()
    {
        var result = new RedisPersistenceHealthCheck(null!).Judge(Sound, Now);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("append-only file on, last write ok, no rewrite since Redis started 3.0 h ago; 3.0 MiB (2.0 MiB at its last rewrite)", result.Description);
    }

    [Fact]
    public void ARewriteSeen_IsCountedFromWhenTheCountMoved()
    {
        var check = new RedisPersistenceHealthCheck(null!);
        check.Judge(Sound, Now);
        check.Judge(Sound with { Rewrites = 1 }, Now.AddMinutes(1));

        var later = check.Judge(Sound with { Rewrites = 1 }, Now.AddMinutes(11));

        Assert.StartsWith("append-only file on, last write ok, 1 rewrites since Redis started, the last seen 10 min ago", later.Description, StringComparison.Ordinal);
        Assert.Equal(600d, later.Data["seconds_since_rewrite"]);
    }

    [Theory]
    [InlineData(false, "ok", "ok", 0, "the append-only file is off")]
    [InlineData(true, "err", "ok", 0, "the last write to the append-only file failed (err)")]
    [InlineData(true, "ok", "err", 0, "the last rewrite of the append-only file failed (err, 2 in a row)")]
    [InlineData(true, "ok", "ok", 7, "Redis refused 7 commands while replaying its append-only file")]
    public void AnythingThatCouldLoseAWrite_IsDegraded_AndSaysWhat(bool appendOnly, string lastWrite, string lastRewrite, long refused, string said)
    {
        var reading = Sound with
        {
            AppendOnly = appendOnly, LastWriteStatus = lastWrite, LastRewriteStatus = lastRewrite, RewriteFailuresInARow = lastRewrite == "ok" ? 0 : 2,
            RefusedWhileReplaying = refused,
        };

        var result = new RedisPersistenceHealthCheck(null!).Judge(reading, Now);

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains(said, result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnRedisAsShipped_AsAServicesUser_TheAppendOnlyFileIsOn_AndHealthy()
    {
        await using var redis = await RedisServer.StartLocalAsync();
        await using var auction = await ConnectionMultiplexer.ConnectAsync(redis.OptionsFor("auction"));

        var result = await new RedisPersistenceHealthCheck(auction).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.StartsWith("append-only file on, last write ok, no rewrite since Redis started", result.Description, StringComparison.Ordinal);
    }
}
