using System.Diagnostics;

namespace Remarketing.Auction.Tests;

/// <summary>
/// The bench runs against a running system, prints its table and leaves Redis as it found it:
/// a small run of its fan-out phase, with the system's own keys and Redis users, so a change to
/// either (as when service users lost SCAN) cannot break the operator's tool unseen.
/// </summary>
[Trait("Category", "System")]
public sealed class BenchSmokeTests(AuctionSystemFixture system) : IClassFixture<AuctionSystemFixture>
{
    [Fact]
    public async Task ASmallFanOutRun_PrintsItsTable_ReadsMemoryAfterAForcedGc_AndCleansUp()
    {
        // The bench reads one folder: the token signing keys and Redis' passwords, as run.sh keeps them.
        var keys = Directory.CreateTempSubdirectory("bench-keys-").FullName;
        foreach (var file in Directory.EnumerateFiles(system.System.Tokens.KeysDirectory).Concat(Directory.EnumerateFiles(system.RedisServer.KeysDirectory)))
            File.Copy(file, Path.Combine(keys, Path.GetFileName(file)), overwrite: true);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            Path.Combine(RepositoryLayout.Root, "artifacts", "bin", "Remarketing.Bench", RepositoryLayout.Configuration, "bench.dll"),
            "--gateway", system.System.GatewayGrpcAddress.ToString(), "--auction", system.System.ServiceAddress("auction").ToString(),
            "--redis", system.RedisServer.Address, "--keys", keys, "--phases", "fanout", "--watchers", "50", "--fanout-seconds", "2",
            "--listings", "200", "--peer", "none", "--warm-up", "1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var bench = Process.Start(start)!;
        var table = bench.StandardOutput.ReadToEndAsync();
        var progress = bench.StandardError.ReadToEndAsync();
        await bench.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var left = new List<string>();
        foreach (var server in system.Redis.GetServers().Where(server => !server.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: "auction:{listing:BENCH-*"))
                left.Add(key!);
        }
        Directory.Delete(keys, recursive: true);

        Assert.True(bench.ExitCode == 0, $"bench exited {bench.ExitCode}:\n{await progress}");
        Assert.Contains("| (d) fan-out through the gateway: 50 watchers", await table, StringComparison.Ordinal);
        Assert.Contains("each read after a forced GC", await table, StringComparison.Ordinal);
        Assert.Empty(left);
    }
}
