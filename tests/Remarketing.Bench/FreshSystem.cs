using System.Diagnostics;
using System.Globalization;
using Remarketing.Testing;

namespace Remarketing.Bench;

/// <summary>
/// A system started for one repetition of the bench exactly as users start it (<c>./run.sh --no-sim</c>,
/// the same flags, Redis configuration and environment), with its own data folder and a free Redis
/// port, and stopped (SIGTERM, as Ctrl-C) when disposed.
/// </summary>
public sealed class FreshSystem : IAsyncDisposable
{
    private static readonly Uri GatewayHealth = new("http://127.0.0.1:5080/healthz");

    private readonly Process _runSh;
    private readonly string _data;

    private FreshSystem(Process runSh, string data, int redisPort)
    {
        _runSh = runSh;
        _data = data;
        RedisPort = redisPort;
    }

    public int RedisPort { get; }

    /// <summary>The system's keys folder (token signing keys, Redis passwords).</summary>
    public string Keys => Path.Combine(_data, "keys");

    public static async Task<FreshSystem> StartAsync(TimeSpan timeout)
    {
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            // Another system on the usual ports would answer for this one.
            try
            {
                using var answer = await probe.GetAsync(GatewayHealth);
                throw new BenchUnavailableException($"bench: a system already answers at {GatewayHealth}: stop it first (--repeat starts its own on the usual ports)");
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Nothing there: the ports are free.
            }
        }

        var data = Path.Combine(Path.GetTempPath(), $"remarketing-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var redisPort = FreePort.Next();
        var start = new ProcessStartInfo("bash", ["run.sh", "--no-sim"])
        {
            WorkingDirectory = RepositoryLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["REMARKETING_DATA"] = data;
        start.Environment["REDIS_PORT"] = redisPort.ToString(CultureInfo.InvariantCulture);
        var runSh = Process.Start(start) ?? throw new InvalidOperationException("./run.sh did not start");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        runSh.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        runSh.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        runSh.BeginOutputReadLine();
        runSh.BeginErrorReadLine();
        var system = new FreshSystem(runSh, data, redisPort);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (runSh.HasExited)
            {
                await system.DisposeAsync();
                throw new InvalidOperationException($"./run.sh --no-sim ended at start:\n{string.Join('\n', output)}");
            }
            try
            {
                using var response = await http.GetAsync(GatewayHealth);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"status\":\"Healthy\"", StringComparison.Ordinal))
                    return system;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }
            if (deadline.Elapsed > timeout)
            {
                await system.DisposeAsync();
                throw new TimeoutException($"./run.sh --no-sim was not healthy within {timeout.TotalSeconds:0} s:\n{string.Join('\n', output)}");
            }
            await Task.Delay(500);
        }
    }

    private bool _measured;

    /// <summary>The measurement on this system is done: its data can go when it stops (else its logs stay, to find what failed).</summary>
    public void Measured() => _measured = true;

    /// <summary>Stops the system as Ctrl-C does (run.sh stops every process it started) and removes its data, once <see cref="Measured"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_runSh.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _runSh.Id.ToString(CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _runSh.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _runSh.Kill(entireProcessTree: true);
            }
        }
        _runSh.Dispose();
        if (!_measured)
        {
            Console.Error.WriteLine($"bench: the system's data and logs are kept in {_data}");
            return;
        }
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A process still writing its log: the folder is in the temporary directory.
        }
    }
}
