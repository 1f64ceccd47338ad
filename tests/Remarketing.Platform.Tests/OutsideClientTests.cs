using System.Diagnostics;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The gateway as a stranger meets it: tests/outside/stranger.mjs, a grpc-js client built from
/// the published .proto files and no code of this project (no token, a wrong role, other
/// spellings of a path, an oversized and a malformed message, hundreds of streams and a bid on
/// one connection). test.sh installs its npm packages.
/// </summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public sealed class OutsideClientTests(SystemFixture fixture)
{
    [Fact]
    public async Task AGrpcJsClient_MeetsTheSameRules()
    {
        var directory = Path.Combine(RepositoryLayout.Root, "tests", "outside");
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "@grpc", "grpc-js")),
            "tests/outside has no node_modules: run 'npm ci --prefix tests/outside' (test.sh does)");
        var start = new ProcessStartInfo("node", ["stranger.mjs"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["GATEWAY_GRPC"] = $"{fixture.System.GatewayGrpcAddress.Host}:{fixture.System.GatewayGrpcAddress.Port}",
                ["GATEWAY_HTTP"] = fixture.System.GatewayHttpAddress.ToString().TrimEnd('/'),
                ["PROTOS"] = Path.Combine(RepositoryLayout.Root, "protos"),
                ["VIN"] = TestVins.Next(),
            },
        };

        using var node = Process.Start(start)!;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = node.StandardOutput.ReadToEndAsync(patience.Token);
        var errors = node.StandardError.ReadToEndAsync(patience.Token);
        await node.WaitForExitAsync(patience.Token);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(node.ExitCode == 0, string.Join("\n", lines) + "\n" + await errors);
        Assert.True(lines.Count(line => line.StartsWith("ok ", StringComparison.Ordinal)) >= 19, string.Join("\n", lines));
    }
}
