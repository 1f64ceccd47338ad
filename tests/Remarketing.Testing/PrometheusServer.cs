using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Remarketing.Testing;

/// <summary>
/// Debian's prometheus (apt-get install -y prometheus) scraping a running system's processes
/// every second, with the alert rules given, evaluated every second; read through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Where the alert rules shipped with the system are (deploy/prometheus/alerts.yml).</summary>
    public static string ShippedRules => Path.Combine(RepositoryLayout.Root, "deploy", "prometheus", "alerts.yml");

    /// <param name="targets">The health ports to scrape, by instance name ("quote", "auction-2", "gateway"): each gets the label service (its name without the instance number).</param>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, Uri> targets, string rulesFile)
    {
        var directory = Directory.CreateTempSubdirectory("remarketing-prometheus-").FullName;
        var configuration = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configuration, Configuration(targets, rulesFile));
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={configuration}",
                $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                $"--web.listen-address={address.Authority}",
                "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("This test needs Prometheus: apt-get install -y prometheus (./test.sh and CI install it).", exception);
        }
        var server = new PrometheusServer(process, directory, address);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Waiting.EventuallyAsync("prometheus to be ready", async () =>
        {
            if (process.HasExited)
                throw new InvalidOperationException($"prometheus exited ({process.ExitCode}): {server.Output}");
            try
            {
                return (await server._http.GetAsync(new Uri("/-/ready", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>promtool's check of a rules file: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> CheckRulesAsync(string rulesFile)
    {
        var (exitCode, printed, errors) = await Programs.RunAsync("promtool", "check", "rules", rulesFile);
        return (exitCode, printed + errors);
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Every scrape target: its service label and health ("up", "down", "unknown"), with the last error.</summary>
    public async Task<IReadOnlyList<(string Service, string Instance, string Health, string LastError)>> TargetsAsync() =>
        [.. (await GetDataAsync("/api/v1/targets")).GetProperty("activeTargets").EnumerateArray().Select(target => (
            target.GetProperty("labels").GetProperty("service").GetString()!,
            target.GetProperty("labels").GetProperty("instance").GetString()!,
            target.GetProperty("health").GetString()!,
            target.GetProperty("lastError").GetString() ?? ""))];

    /// <summary>The alerts pending or firing now, with their labels.</summary>
    public async Task<IReadOnlyList<(string Name, string State, IReadOnlyDictionary<string, string> Labels)>> AlertsAsync() =>
        [.. (await GetDataAsync("/api/v1/alerts")).GetProperty("alerts").EnumerateArray().Select(alert =>
        {
            var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? "");
            return (labels["alertname"], alert.GetProperty("state").GetString()!, (IReadOnlyDictionary<string, string>)labels);
        })];

    /// <summary>An instant query's samples: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promQl) =>
        [.. (await GetDataAsync($"/api/v1/query?query={Uri.EscapeDataString(promQl)}")).GetProperty("result").EnumerateArray().Select(sample => (
            (IReadOnlyDictionary<string, string>)sample.GetProperty("metric").EnumerateObject().ToDictionary(label => label.Name, label => label.Value.GetString() ?? ""),
            double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder stays.
        }
    }

    private static string Configuration(IReadOnlyDictionary<string, Uri> targets, string rulesFile)
    {
        var configuration = new StringBuilder()
            .AppendLine("global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }")
            .AppendLine(CultureInfo.InvariantCulture, $"rule_files: [\"{rulesFile}\"]")
            .AppendLine("scrape_configs:")
            .AppendLine("  - job_name: remarketing")
            .AppendLine("    static_configs:");
        foreach (var (instance, address) in targets.OrderBy(target => target.Key, StringComparer.Ordinal))
            configuration.AppendLine(CultureInfo.InvariantCulture,
                $"      - {{ targets: [\"{address.Authority}\"], labels: {{ service: \"{instance.Split('-')[0]}\" }} }}");
        return configuration.ToString();
    }

    private async Task<JsonElement> GetDataAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"prometheus answered {(int)response.StatusCode} to {pathAndQuery}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
