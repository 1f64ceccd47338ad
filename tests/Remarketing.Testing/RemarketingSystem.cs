using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Remarketing.ServiceDefaults.Redis;

namespace Remarketing.Testing;

/// <summary>
/// The real system on loopback: the four services and the gateway as separate processes,
/// started from the built assemblies on free ports against one Redis, stopped on dispose.
/// </summary>
public sealed class RemarketingSystem : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> ServiceNames = ["quote", "inspection", "auction", "transport"];

    /// <summary>The processes by instance name: "quote", "auction", "auction-2" (a further instance), "gateway", "gateway-2".</summary>
    private readonly Dictionary<string, ServiceProcess> _processes = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<GrpcChannel> _channels = [];
    private readonly Dictionary<string, Uri> _serviceAddresses = new(StringComparer.Ordinal);

    private RemarketingSystem(TestTokens tokens, IReadOnlyList<Uri> gatewaysGrpc, IReadOnlyList<Uri> gatewaysHttp)
    {
        Tokens = tokens;
        GatewayGrpcAddresses = gatewaysGrpc;
        GatewayHttpAddresses = gatewaysHttp;
    }

    public TestTokens Tokens { get; }

    /// <summary>The (first) gateway's gRPC port (HTTP/2 without TLS).</summary>
    public Uri GatewayGrpcAddress => GatewayGrpcAddresses[0];

    /// <summary>The (first) gateway's HTTP/1.1 port: gRPC-Web, /healthz, /dev/token.</summary>
    public Uri GatewayHttpAddress => GatewayHttpAddresses[0];

    /// <summary>Every gateway's gRPC port, the first one's first.</summary>
    public IReadOnlyList<Uri> GatewayGrpcAddresses { get; }

    /// <summary>Every gateway's HTTP/1.1 port, the first one's first.</summary>
    public IReadOnlyList<Uri> GatewayHttpAddresses { get; }

    /// <param name="redis">The system's Redis: each service logs in as its own user from its key ring.</param>
    /// <param name="settings">Configuration every process gets, e.g. "Streams:HeartbeatInterval".</param>
    /// <param name="gatewayHttpOnAllInterfaces">Bind the gateway's HTTP/1.1 port on every interface, not only loopback (to call it from another address).</param>
    /// <param name="auctionInstances">How many Auction processes share the work (the gateway spreads calls over them; each runs a closer).</param>
    /// <param name="instances">How many processes of every service and of the gateway, as <c>./run.sh --instances N</c> starts (Auction: at least <paramref name="auctionInstances"/>).</param>
    public static async Task<RemarketingSystem> StartAsync(
        RedisServer redis, IReadOnlyDictionary<string, string>? settings = null, bool gatewayHttpOnAllInterfaces = false, int auctionInstances = 1, int instances = 1)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(redis, settings, gatewayHttpOnAllInterfaces, Math.Max(auctionInstances, instances), instances);
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // Another program took a port between choosing it and binding it: choose again.
            }
        }
    }

    private static async Task<RemarketingSystem> StartOnceAsync(
        RedisServer redis, IReadOnlyDictionary<string, string>? settings, bool gatewayHttpOnAllInterfaces, int auctionInstances, int instances)
    {
        var tokens = new TestTokens();
        var shared = new Dictionary<string, string>(tokens.Settings().Concat(redis.ServiceSettings))
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // As in run.sh's local profile: SetClock may change a shared clock (a test turns it off to see it refused).
            ["Clock:Control"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            shared[key] = value;

        var gateways = Enumerable.Range(1, instances)
            .Select(instance => (
                Name: InstanceName("gateway", instance),
                Grpc: new Uri($"http://127.0.0.1:{FreePort.Next()}"),
                Http: new Uri($"http://127.0.0.1:{FreePort.Next()}"),
                Health: new Uri($"http://127.0.0.1:{FreePort.Next()}")))
            .ToList();
        var system = new RemarketingSystem(tokens, [.. gateways.Select(gateway => gateway.Grpc)], [.. gateways.Select(gateway => gateway.Http)]);
        try
        {
            var gatewaySettings = new Dictionary<string, string>(shared) { ["Gateway:DevTokens"] = "true" };
            // Every instance's address first: the gateway and every service (for its hand-offs) know them all.
            var serviceInstances = ServiceNames
                .SelectMany(name => Enumerable.Range(1, name == "auction" ? auctionInstances : instances)
                    .Select(instance => (Name: name, Instance: InstanceName(name, instance), Address: new Uri($"http://127.0.0.1:{FreePort.Next()}"))))
                .ToList();
            foreach (var group in serviceInstances.GroupBy(instance => instance.Name))
            {
                var addresses = string.Join(",", group.Select(instance => instance.Address.ToString()));
                gatewaySettings[$"Services:{group.Key}"] = addresses;
                shared[$"Services:{group.Key}"] = addresses;
            }
            foreach (var (name, instanceName, address) in serviceInstances)
            {
                var health = new Uri($"http://127.0.0.1:{FreePort.Next()}");
                system._serviceAddresses[instanceName] = address;
                system._processes[instanceName] = ServiceProcess.Start(ProjectOf(name), new Dictionary<string, string>(shared)
                {
                    ["Redis:User"] = name,
                    ["Redis:PasswordFile"] = RedisAccess.PasswordFile(redis.KeysDirectory, name),
                    ["Kestrel:Endpoints:Grpc:Url"] = address.ToString(),
                    ["Kestrel:Endpoints:Health:Url"] = health.ToString(),
                }, health: health);
            }

            foreach (var gateway in gateways)
            {
                // The Local environment: the only one (with Development) where the gateway serves /dev/token.
                system._processes[gateway.Name] = ServiceProcess.Start("Remarketing.Gateway", new Dictionary<string, string>(gatewaySettings)
                {
                    ["Kestrel:Endpoints:Grpc:Url"] = gateway.Grpc.ToString(),
                    ["Kestrel:Endpoints:Health:Url"] = gateway.Health.ToString(),
                    ["Kestrel:Endpoints:Http:Url"] = gatewayHttpOnAllInterfaces ? $"http://0.0.0.0:{gateway.Http.Port}" : gateway.Http.ToString(),
                }, environment: "Local", health: gateway.Health);
            }
            // Generous: on a 2-core CI machine every test assembly starts its own system at once.
            await system.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
            return system;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one of the system's processes until it exits by itself (or <paramref name="timeout"/> passes): its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(
        string project, IReadOnlyDictionary<string, string> settings, string environment, TimeSpan timeout)
    {
        var process = ServiceProcess.Start(project, settings, environment);
        try
        {
            return (await process.WaitForExitAsync(timeout), process.Output);
        }
        finally
        {
            await process.StopAsync();
        }
    }

    /// <summary>A channel to the gateway's gRPC port.</summary>
    public GrpcChannel GatewayChannel() => Track(GrpcChannel.ForAddress(GatewayGrpcAddress, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
    }));

    /// <summary>A gRPC-Web channel over HTTP/1.1 to the gateway's HTTP port, as a browser calls it.</summary>
    public GrpcChannel GatewayWebChannel() => Track(GrpcChannel.ForAddress(GatewayHttpAddress, new GrpcChannelOptions
    {
        HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
        HttpVersion = HttpVersion.Version11,
        HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    }));

    /// <summary>Each process's health port by instance name ("gateway", "quote", "auction-2", ...): /healthz for probes, /metrics for Prometheus.</summary>
    public IReadOnlyDictionary<string, Uri> HealthAddresses => _processes.ToDictionary(process => process.Key, process => process.Value.HealthAddress);

    /// <summary>Ends an instance at once, as a crash would (SIGKILL): "gateway", "auction", "auction-2", ...</summary>
    public Task KillAsync(string instance) => _processes[instance].KillAsync();

    /// <summary>What every instance of <paramref name="service"/> ("auction": "auction", "auction-2", ...) has logged so far, each under its name.</summary>
    public string OutputOfEvery(string service) =>
        string.Join("\n", _processes.Where(process => process.Key == service || process.Key.StartsWith(service + "-", StringComparison.Ordinal))
            .Select(process => $"--- {process.Key}:\n{process.Value.Output}"));

    /// <summary>What the instance has written to its standard output and error so far (its log, at Warning and above).</summary>
    public string OutputOf(string instance) => _processes[instance].Output;

    /// <summary>Starts a killed instance again with the same settings and ports, and waits until it serves (healthy, or degraded by what it found in Redis).</summary>
    public async Task StartAgainAsync(string instance, TimeSpan? timeout = null)
    {
        var process = _processes[instance].StartAgain();
        _processes[instance] = process;
        await process.WaitUntilHealthyAsync(timeout ?? TimeSpan.FromSeconds(60), acceptDegraded: true);
    }

    /// <summary>
    /// Waits until every service instance still running reaches Redis again (its health Healthy or
    /// Degraded, not Unhealthy): after Redis was restarted under them. Instances killed on purpose are left alone.
    /// </summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        foreach (var process in _processes.Where(entry => !IsGateway(entry.Key) && !entry.Value.HasExited).Select(entry => entry.Value))
            await process.WaitUntilHealthyAsync(timeout, acceptDegraded: true);
    }

    /// <summary>An instance's /healthz report: its status and each check's status and description.</summary>
    public async Task<JsonElement> HealthAsync(string instance)
    {
        using var http = new HttpClient { BaseAddress = _processes[instance].HealthAddress };
        using var response = await http.GetAsync("/healthz");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>One service's own port (quote, inspection, auction, transport), bypassing the gateway.</summary>
    public Uri ServiceAddress(string name) => _serviceAddresses[name];

    /// <summary>A channel straight to one service's port, bypassing the gateway.</summary>
    public GrpcChannel ServiceChannel(string name) => Track(GrpcChannel.ForAddress(ServiceAddress(name)));

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
            channel.Dispose();
        foreach (var process in _processes.Values)
            await process.StopAsync();
    }

    private GrpcChannel Track(GrpcChannel channel)
    {
        _channels.Add(channel);
        return channel;
    }

    private static bool IsGateway(string instance) => instance == "gateway" || instance.StartsWith("gateway-", StringComparison.Ordinal);

    /// <summary>"quote" for the first instance, "quote-2" for the second, ...</summary>
    private static string InstanceName(string name, int instance) => instance == 1 ? name : $"{name}-{instance}";

    private static string ProjectOf(string service) => $"Remarketing.{char.ToUpperInvariant(service[0])}{service[1..]}";

    /// <summary>Until every gateway reports the system Healthy.</summary>
    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        foreach (var gateway in GatewayHttpAddresses)
            await WaitUntilHealthyAsync(gateway, timeout);
    }

    private async Task WaitUntilHealthyAsync(Uri gateway, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(5) };
        var last = "no answer";
        await Waiting.EventuallyAsync("the system to be healthy", async () =>
        {
            if (_processes.Values.FirstOrDefault(process => process.HasExited) is { } exited)
            {
                throw exited.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
                    ? new PortTakenException($"{exited.Name} could not bind its port:\n{exited.Output}")
                    : new InvalidOperationException($"{exited.Name} exited at start:\n{exited.Output}");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                last = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode && JsonDocument.Parse(last).RootElement.GetProperty("status").GetString() == "Healthy";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }
            catch (TaskCanceledException)
            {
                // A cold gateway on a busy machine (several systems starting at once on two cores)
                // can take longer than one probe: that is "not yet", not a failure.
                last = $"no answer within {http.Timeout.TotalSeconds} s";
            }
            return false;
        }, timeout, lastSeen: () => $"{last}\n" + string.Join("\n", _processes.Values.Select(process => $"--- {process.Name}\n{process.Output}")));
    }

    private sealed class PortTakenException(string message) : Exception(message);

    private sealed class ServiceProcess
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();
        private readonly IReadOnlyDictionary<string, string> _settings;
        private readonly string _environment;
        private readonly Uri? _health;

        private ServiceProcess(string name, Process process, IReadOnlyDictionary<string, string> settings, string environment, Uri? health)
        {
            Name = name;
            _process = process;
            _settings = settings;
            _environment = environment;
            _health = health;
        }

        public string Name { get; }

        public Uri HealthAddress => _health ?? throw new InvalidOperationException($"{Name} has no health address");

        public bool HasExited => _process.HasExited;

        public string Output => string.Join("\n", _output);

        public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> settings, string environment = "Test", Uri? health = null)
        {
            var assembly = RepositoryLayout.BuiltAssembly(project);
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { assembly },
                // The content root (appsettings.json) is the working directory.
                WorkingDirectory = Path.GetDirectoryName(assembly)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
            foreach (var (key, value) in settings)
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

            var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start");
            var started = new ServiceProcess(project, process, settings, environment, health);
            process.OutputDataReceived += (_, line) => started.Keep(line.Data);
            process.ErrorDataReceived += (_, line) => started.Keep(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return started;
        }

        /// <summary>The exit code, or -1 if it still runs after <paramref name="timeout"/>.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cancel.Token);
                return _process.ExitCode;
            }
            catch (OperationCanceledException)
            {
                return -1;
            }
        }

        /// <summary>The same program with the same settings, started anew (after <see cref="KillAsync"/>).</summary>
        public ServiceProcess StartAgain() => Start(Name, _settings, _environment, _health);

        /// <summary>SIGKILL: no shutdown, no flush, as a crash.</summary>
        public async Task KillAsync()
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        public async Task WaitUntilHealthyAsync(TimeSpan timeout, bool acceptDegraded = false)
        {
            using var http = new HttpClient { BaseAddress = HealthAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Waiting.EventuallyAsync($"{Name} to be healthy", async () =>
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"{Name} exited at start:\n{Output}");
                try
                {
                    using var response = await http.GetAsync("/healthz");
                    var status = response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString() : null;
                    return status == "Healthy" || (acceptDegraded && status == "Degraded");
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return false; // Not listening yet.
                }
            }, timeout, lastSeen: () => Output);
        }

        public async Task StopAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is null)
                return;
            _output.Enqueue(line);
            while (_output.Count > 200)
                _output.TryDequeue(out _);
        }
    }
}
