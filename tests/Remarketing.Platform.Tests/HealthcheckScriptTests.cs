using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Remarketing.Platform.Tests;

/// <summary>
/// deploy/healthcheck.sh, as the container probe and ./run.sh run it, against a /healthz that
/// answers chunked (as Kestrel does): the status and the reasons are read from the whole reply.
/// </summary>
public sealed class HealthcheckScriptTests
{
    private const string Degraded = """
        {"status":"Degraded","checks":{"self":{"status":"Healthy","description":null},"clock":{"status":"Healthy","description":"the shared clock: version 1"},"backend:auction":{"status":"Degraded","description":"auction at http://127.0.0.1:5103 is Degraded: handoffs: 0 hand-offs pending, 1 failed"}}}
        """;

    [Theory]
    [InlineData("""{"status":"Healthy","checks":{}}""", 0, "")]
    [InlineData(Degraded, 0, "auction at http://127.0.0.1:5103 is Degraded: handoffs: 0 hand-offs pending, 1 failed")]
    [InlineData("""{"status":"Unhealthy","checks":{"redis":{"status":"Unhealthy","description":"Redis does not answer"}}}""", 1, "Redis does not answer")]
    public async Task TheProbe_PassesWhatServes_AndNamesWhatNeedsAPerson(string reply, int exitCode, string reasons)
    {
        var port = FreePort.Next();
        await using var server = await ServeAsync(port, reply);

        var (code, printed) = await RunAsync(port, "--reasons");

        Assert.Equal((exitCode, reasons), (code, printed.Trim()));
    }

    [Fact]
    public async Task NothingListening_Fails()
    {
        var (code, printed) = await RunAsync(FreePort.Next(), "--reasons");

        Assert.Equal((1, ""), (code, printed.Trim()));
    }

    private static async Task<WebApplication> ServeAsync(int port, string reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        var app = builder.Build();
        // Written in two flushes with no length: the reply goes out chunked, its last line a chunk trailer.
        app.MapGet("/healthz", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply[..(reply.Length / 2)]);
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync(reply[(reply.Length / 2)..]);
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(int port, string option)
    {
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(RepositoryLayout.Root, "deploy", "healthcheck.sh"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), option])
        {
            RedirectStandardOutput = true,
        })!;
        var output = await script.StandardOutput.ReadToEndAsync();
        await script.WaitForExitAsync();
        return (script.ExitCode, output);
    }
}
