using System.Diagnostics;

namespace Remarketing.Simulator.Tests;

/// <summary>The command line: --help, and every bad option gets a clear message and a non-zero exit, never a stack trace.</summary>
[Trait("Category", "System")]
public sealed class CommandLineTests
{
    private static readonly string[] Options = ["--speed", "--return-rate", "--dealers", "--duration", "--seed", "--returns-for", "--step", "--settle", "--gateway", "--plain", "market"];

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SimulatorCommand.InvokeAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static void NoStackTrace(string text) => Assert.DoesNotMatch(@"\n\s+at \S+\(|Exception:", text);

    /// <summary>A bad option is its message and a pointer to --help, not the whole help text after it.</summary>
    private static void NoHelpText(string text)
    {
        Assert.DoesNotContain("Usage:", text, StringComparison.Ordinal);
        Assert.EndsWith("see --help", text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_NamesEveryOption()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.All(Options, option => Assert.Contains(option, output, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--speed must be more than 0", "--speed", "-5")]
    [InlineData("--speed must be more than 0", "--speed", "0")]
    [InlineData("abc", "--speed", "abc")]
    [InlineData("--return-rate must be more than 0", "--return-rate", "0")]
    [InlineData("--dealers must be 1-200", "--dealers", "0")]
    [InlineData("--dealers must be 1-200", "--dealers", "1000")]
    [InlineData("is not a simulated duration", "--duration", "tomorrow")]
    [InlineData("is not a simulated duration", "--duration", "-3d")]
    [InlineData("cannot be longer than --duration", "--duration", "2d", "--returns-for", "5d")]
    [InlineData("is not an http:// address", "--gateway", "not a url")]
    [InlineData("--carriers must be 1-50", "--carriers", "0")]
    [InlineData("--frobnicate", "--frobnicate")]
    [InlineData("seed", "--seed", "many")]
    [InlineData("is not a simulated duration", "--step", "0")]
    [InlineData("--settle must be more than 0", "--settle", "2m")]
    [InlineData("--step and --speed do not go together", "--step", "1h", "--speed", "60")]
    public async Task ABadOption_IsAClearMessage_AndANonZeroExit(string message, params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        NoStackTrace(output + error);
        NoHelpText(output + error);
    }

    [Fact]
    public async Task NoSystemRunning_IsAClearMessage_NotAStackTrace()
    {
        var port = FreePort.Next();
        var (exit, output, error) = await RunAsync("--gateway", $"http://127.0.0.1:{port}", "--gateway-http", $"http://127.0.0.1:{port}");

        Assert.Equal(2, exit);
        Assert.Contains("is the system running?", error, StringComparison.Ordinal);
        NoStackTrace(output + error);
    }

    [Fact]
    public async Task TheBuiltProgram_RefusesABadOption_WithoutAStackTrace()
    {
        var assembly = Path.Combine(RepositoryLayout.Root, "artifacts", "bin", "Remarketing.Simulator", RepositoryLayout.Configuration, "simulator.dll");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { assembly, "--dealers", "-1" }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("--dealers must be 1-200", await error, StringComparison.Ordinal);
        NoStackTrace(await output + await error);
        NoHelpText(await output + await error);
    }

    [Theory]
    [InlineData("6d", 6 * 24 * 60)]
    [InlineData("36h", 36 * 60)]
    [InlineData("90m", 90)]
    [InlineData("1.5d", 36 * 60)]
    [InlineData("1.12:00:00", 36 * 60)]
    public void Durations_ReadAsPeopleWriteThem(string text, int minutes)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
        Assert.True(DurationText.TryParse(DurationText.Format(duration), out var again));
        Assert.Equal(duration, again);
    }
}
