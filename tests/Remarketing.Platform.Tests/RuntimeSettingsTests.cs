using System.Text.Json;
using System.Text.RegularExpressions;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The service processes' runtime settings (GC mode, thread pool) come from the build alone, into
/// each one's runtimeconfig.json, so what ./run.sh, the container image and the tests start run alike:
/// a DOTNET_ variable set by one launcher would override them for its processes only.
/// </summary>
public partial class RuntimeSettingsTests
{
    private static readonly string[] ServiceHosts =
        ["Remarketing.Gateway", "Remarketing.Quote", "Remarketing.Inspection", "Remarketing.Auction", "Remarketing.Transport"];

    /// <summary>A runtime knob in the environment; the SDK's own (telemetry, banner) are not runtime settings.</summary>
    [GeneratedRegex(@"DOTNET_(?!CLI_TELEMETRY_OPTOUT|NOLOGO|SKIP_FIRST_TIME_EXPERIENCE)[A-Za-z_]+")]
    private static partial Regex RuntimeKnob();

    [Fact]
    public void EveryServiceHost_IsBuiltWithTheRuntimeSettingsOfTheBuild()
    {
        var settings = ServiceHosts.Select(host =>
        {
            var runtimeConfig = Path.ChangeExtension(RepositoryLayout.BuiltAssembly(host), ".runtimeconfig.json");
            using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            return (host,
                Server: properties.GetProperty("System.GC.Server").GetBoolean(),
                Spin: properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32(),
                Adapting: !properties.TryGetProperty("System.GC.DynamicAdaptationMode", out var mode) || mode.GetInt32() != 0);
        }).ToList();

        Assert.All(settings, setting => Assert.Equal((true, 0, false), (setting.Server, setting.Spin, setting.Adapting)));
    }

    [Theory]
    [InlineData("run.sh")]
    [InlineData("test.sh")]
    [InlineData("tests/faults.sh")]
    [InlineData("deploy/Dockerfile")]
    [InlineData("docker-compose.yml")]
    [InlineData("tests/Remarketing.Testing/RemarketingSystem.cs")]
    public void NoLauncher_SetsARuntimeSettingOfItsOwn(string launcher)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root, launcher));

        Assert.Empty(RuntimeKnob().Matches(text).Select(match => match.Value));
    }

    [Fact]
    public void NoKubernetesManifest_SetsARuntimeSettingOfItsOwn()
    {
        var manifests = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Root, "deploy", "k8s"), "*.yaml", SearchOption.AllDirectories);

        Assert.Empty(manifests.SelectMany(manifest => RuntimeKnob().Matches(File.ReadAllText(manifest)).Select(match => $"{manifest}: {match.Value}")));
    }
}
