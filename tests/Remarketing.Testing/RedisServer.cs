using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;
using Testcontainers.Redis;

namespace Remarketing.Testing;

/// <summary>
/// A real Redis for tests, configured exactly as Remarketing ships it: deploy/redis/redis.conf
/// and the ACL file <see cref="RedisAccess"/> writes (the default user off, a user per service,
/// an admin), with its append-only file in a directory of its own. Locally it is started by
/// deploy/redis/start.sh, the script ./run.sh starts Redis with; where a Docker engine answers,
/// <see cref="StartAsync"/> runs the image docker-compose.yml runs, with the same two files.
/// With REMARKETING_REDIS=cluster, <see cref="StartAsync"/> starts a local Redis Cluster instead
/// (<see cref="StartClusterAsync"/>: three primaries, each with a replica, every node started
/// by the same script with the same configuration and users), so a suite runs on both topologies.
/// </summary>
public sealed partial class RedisServer : IAsyncDisposable
{
    private static readonly string StartScript = Path.Combine(RepositoryLayout.Root, "deploy", "redis", "start.sh");
    private static readonly string ConfigurationFile = Path.Combine(RepositoryLayout.Root, "deploy", "redis", "redis.conf");

    /// <summary>The variable that picks the topology of <see cref="StartAsync"/>: "cluster", or one Redis (unset).</summary>
    public const string TopologyVariable = "REMARKETING_REDIS";

    private readonly string _root;
    private readonly int _port;
    private readonly List<ClusterNode> _nodes = [];
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private RedisContainer? _container;

    private RedisServer(string root, int port)
    {
        _root = root;
        _port = port;
        Directory.CreateDirectory(DataDirectory);
        RedisAccess.Initialize(KeysDirectory);
    }

    /// <summary>"host:port", for a service's Redis:Configuration (it logs in as its own user).</summary>
    public string Address { get; private set; } = "";

    /// <summary>
    /// The Redis settings a service gets for this server: its address and, on a cluster, the one
    /// replica each acknowledged write waits for (as run.sh --redis-cluster configures it).
    /// </summary>
    public IReadOnlyDictionary<string, string> ServiceSettings => new Dictionary<string, string>
    {
        ["Redis:Configuration"] = Address,
        ["Redis:ReplicasToAcknowledge"] = IsCluster ? "1" : "0",
    };

    /// <summary>The ACL file Redis loads and each user's password (redis-&lt;user&gt;.password), as in the key ring.</summary>
    public string KeysDirectory => Path.Combine(_root, "keys");

    /// <summary>Where a local server keeps its append-only file.</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>A StackExchange.Redis configuration string logging in as the operator (the ACL's admin user).</summary>
    public string Configuration => $"{Address},user={RedisAccess.Admin},password={RedisAccess.ReadPassword(KeysDirectory, RedisAccess.Admin)}";

    /// <summary>What a local server has logged since it last started.</summary>
    public string Log => string.Join("\n", _output);

    /// <summary>Connection options for a service's own Redis user, as the service connects.</summary>
    public ConfigurationOptions OptionsFor(string service) => RedisAccess.OptionsForService(Address, KeysDirectory, service);

    /// <summary>True when the tests run on a Redis Cluster (REMARKETING_REDIS=cluster).</summary>
    public static bool ClusterRequested => Environment.GetEnvironmentVariable(TopologyVariable) == "cluster";

    /// <summary>True for a Redis Cluster: <see cref="Address"/> names its nodes.</summary>
    public bool IsCluster => _nodes.Count > 0;

    /// <summary>
    /// A Testcontainers Redis where a Docker engine answers, else a local redis-server on a free
    /// loopback port; a local Redis Cluster when <see cref="ClusterRequested"/>.
    /// </summary>
    public static async Task<RedisServer> StartAsync()
    {
        if (ClusterRequested)
            return await StartClusterAsync();
        if (!DockerEngineLikelyAvailable())
            return await StartLocalAsync();

        var server = new RedisServer(NewRoot(), 6379);
        const string mounted = "/etc/remarketing";
        server._container = new RedisBuilder(ComposeRedisImage())
            .WithResourceMapping(new FileInfo(ConfigurationFile), mounted)
            .WithResourceMapping(new FileInfo(Path.Combine(server.KeysDirectory, RedisAccess.AclFile)), mounted)
            .WithCommand("redis-server", $"{mounted}/redis.conf", "--aclfile", $"{mounted}/{RedisAccess.AclFile}")
            .Build();
        await server._container.StartAsync();
        server.Address = $"{server._container.Hostname}:{server._container.GetMappedPublicPort(6379)}";
        return server;
    }

    /// <summary>A redis-server process on a free loopback port, which a test may kill and start again from its files.</summary>
    public static async Task<RedisServer> StartLocalAsync()
    {
        var server = new RedisServer(NewRoot(), FreePort.Next());
        server.Address = $"127.0.0.1:{server._port}";
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A local Redis Cluster: <paramref name="primaries"/> primaries and a replica of each, each
    /// node a redis-server started by deploy/redis/start.sh --cluster on a free loopback port (its
    /// bus 10000 above), joined by redis-cli --cluster create as the admin; ready once every node
    /// says the cluster is ok and every replica follows its primary.
    /// </summary>
    public static async Task<RedisServer> StartClusterAsync(int primaries = 3)
    {
        var server = new RedisServer(NewRoot(), 0);
        try
        {
            var acl = Path.Combine(server.KeysDirectory, RedisAccess.AclFile);
            var adminPassword = RedisAccess.PasswordFile(server.KeysDirectory, RedisAccess.Admin);
            for (var i = 0; i < primaries * 2; i++)
            {
                var port = FreePort.NextWith(10_000);
                var data = Path.Combine(server._root, $"node-{port}");
                Directory.CreateDirectory(data);
                var node = new ClusterNode(port, data);
                node.Process = server.StartProcess([StartScript, Port(port), data, acl, "--cluster", adminPassword], $"[{port}] ");
                server._nodes.Add(node);
            }
            foreach (var node in server._nodes)
                await server.WaitUntilAnswersAsync(node.Process!, node.Port);

            var (exit, printed, errors) = await Programs.RunAsync("redis-cli",
                [.. server.AdminCli(), "--cluster", "create", .. server._nodes.Select(node => $"127.0.0.1:{node.Port}"), "--cluster-replicas", "1", "--cluster-yes"]);
            if (exit != 0)
                throw new InvalidOperationException($"redis-cli --cluster create failed ({exit}): {printed}{errors}\n{server.Log}");
            // Every node, as run.sh --redis-cluster configures the services: any one that answers finds the rest, whichever are primaries now.
            server.Address = string.Join(",", server._nodes.Select(node => $"127.0.0.1:{node.Port}"));
            await server.WaitUntilClusterIsWholeAsync(primaries);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SIGKILLs the cluster's primary that serves <paramref name="key"/>'s slot and waits until
    /// its replica has taken over (the cluster says ok and another node serves the slot); the
    /// killed node's port, to start it again.
    /// </summary>
    public async Task<int> KillPrimaryOfAsync(RedisKey key)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(Configuration);
        var port = ((System.Net.IPEndPoint)admin.GetServer(key).EndPoint).Port;
        var node = _nodes.Single(node => node.Port == port);
        node.Process!.Kill(entireProcessTree: true);
        await node.Process.WaitForExitAsync();
        var survivor = _nodes.First(other => other != node);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (_, info, _) = await Programs.RunAsync("redis-cli", ["-p", Port(survivor.Port), .. AdminCli(), "CLUSTER", "INFO"]);
            var (_, slot, _) = await Programs.RunAsync("redis-cli", ["-p", Port(survivor.Port), .. AdminCli(), "CLUSTER", "KEYSLOT", key.ToString()]);
            var (_, nodes, _) = await Programs.RunAsync("redis-cli", ["-p", Port(survivor.Port), .. AdminCli(), "CLUSTER", "NODES"]);
            if (info.Contains("cluster_state:ok", StringComparison.Ordinal) && ServesSlot(nodes, int.Parse(slot.Trim(), System.Globalization.CultureInfo.InvariantCulture)) is { } owner && owner != port)
                return port;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"no replica took over from 127.0.0.1:{port} within 30 s:\n{nodes}\n{Log}");
            await Task.Delay(100);
        }
    }

    /// <summary>Starts a killed cluster node again from its files: it rejoins, as a replica of the primary that took over from it.</summary>
    public async Task StartNodeAgainAsync(int port)
    {
        var node = _nodes.Single(node => node.Port == port);
        node.Process!.Dispose();
        node.Process = StartProcess([StartScript, Port(port), node.DataDirectory, Path.Combine(KeysDirectory, RedisAccess.AclFile), "--cluster",
            RedisAccess.PasswordFile(KeysDirectory, RedisAccess.Admin)], $"[{port}] ");
        await WaitUntilAnswersAsync(node.Process, port);
        await WaitUntilClusterIsWholeAsync(_nodes.Count / 2);
    }

    /// <summary>The port of the live primary serving <paramref name="slot"/>, from CLUSTER NODES; null if none does.</summary>
    private static int? ServesSlot(string clusterNodes, int slot)
    {
        foreach (var line in clusterNodes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            if (fields.Length < 9 || !fields[2].Contains("master", StringComparison.Ordinal) || fields[2].Contains("fail", StringComparison.Ordinal))
                continue;
            foreach (var range in fields[8..])
            {
                var bounds = range.Split('-');
                if (int.TryParse(bounds[0], out var first) && int.TryParse(bounds[^1], out var last) && first <= slot && slot <= last)
                    return int.Parse(fields[1].Split('@')[0].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>SIGKILL, as a crash: whatever Redis acknowledged must already be in its append-only file.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException("only a local redis-server can be killed and started again");
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Starts the local server (again) on the same port from its files, and waits until it
    /// answers. If it exits instead (as it must when its append-only file cannot be replayed
    /// whole), throws with what it logged.
    /// </summary>
    public async Task StartAgainAsync()
    {
        if (_container is not null)
            throw new InvalidOperationException("only a local redis-server can be killed and started again");
        if (_process is { HasExited: false })
            throw new InvalidOperationException("Redis is still running: kill it first");
        _process?.Dispose();
        _output.Clear();
        _process = StartProcess([StartScript, Port(_port), DataDirectory, Path.Combine(KeysDirectory, RedisAccess.AclFile)], "");
        await WaitUntilAnswersAsync(_process, _port);
    }

    private Process StartProcess(IReadOnlyList<string> arguments, string logPrefix)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("Tests need Redis: install redis-server (apt-get install -y redis-server) or run a Docker engine.", exception);
        }

        process.OutputDataReceived += (_, line) => Keep(line.Data is null ? null : logPrefix + line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data is null ? null : logPrefix + line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string[] AdminCli() => ["--user", RedisAccess.Admin, "--pass", RedisAccess.ReadPassword(KeysDirectory, RedisAccess.Admin), "--no-auth-warning"];

    /// <summary>Waits until every node says the cluster is ok, <paramref name="primaries"/> primaries serve, and every replica follows its primary.</summary>
    private async Task WaitUntilClusterIsWholeAsync(int primaries)
    {
        var deadline = Stopwatch.StartNew();
        var last = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var whole = true;
            foreach (var node in _nodes)
            {
                var (_, info, _) = await Programs.RunAsync("redis-cli", ["-p", Port(node.Port), .. AdminCli(), "CLUSTER", "INFO"]);
                var (_, replication, _) = await Programs.RunAsync("redis-cli", ["-p", Port(node.Port), .. AdminCli(), "INFO", "replication"]);
                var ok = info.Contains("cluster_state:ok", StringComparison.Ordinal) && info.Contains($"cluster_size:{primaries}", StringComparison.Ordinal)
                    && (replication.Contains("role:master", StringComparison.Ordinal) || replication.Contains("master_link_status:up", StringComparison.Ordinal));
                if (!ok)
                {
                    whole = false;
                    last = $"node {node.Port}: {info.Split('\n').FirstOrDefault()?.Trim()}; {replication.Replace("\r\n", " ", StringComparison.Ordinal)}";
                    break;
                }
            }
            if (whole)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the Redis Cluster did not become whole within a minute ({last}):\n{Log}");
    }

    /// <summary>Deletes every key: for fixtures that share one server between tests that must not see each other's data.</summary>
    public async Task FlushAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");
        foreach (var server in connection.GetServers().Where(server => !server.IsReplica))
            await server.FlushAllDatabasesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
            await _container.DisposeAsync();
        if (_process is not null)
        {
            await KillAsync();
            _process.Dispose();
        }
        foreach (var node in _nodes.Where(node => node.Process is not null))
        {
            if (!node.Process!.HasExited)
            {
                node.Process.Kill(entireProcessTree: true);
                await node.Process.WaitForExitAsync();
            }
            node.Process.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 2000)
            _output.TryDequeue(out _);
    }

    private static string NewRoot() => Path.Combine(Path.GetTempPath(), "remarketing-redis", Guid.NewGuid().ToString("N"));

    // Probing Testcontainers without an engine costs seconds; a socket or DOCKER_HOST is the cheap signal.
    private static bool DockerEngineLikelyAvailable() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    /// <summary>The Redis image docker-compose.yml runs: tests on Docker run that version.</summary>
    private static string ComposeRedisImage()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docker-compose.yml"));
        return ComposeImage().Match(compose) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException("docker-compose.yml names no redis image");
    }

    [GeneratedRegex(@"^\s*image:\s*(redis:\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ComposeImage();

    /// <summary>Waits until the server has loaded its data and answers the admin's PING with PONG (while it loads, it answers -LOADING).</summary>
    private async Task WaitUntilAnswersAsync(Process process, int port)
    {
        var login = System.Text.Encoding.ASCII.GetBytes($"AUTH {RedisAccess.Admin} {RedisAccess.ReadPassword(KeysDirectory, RedisAccess.Admin)}\r\nPING\r\n");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"redis-server exited at start with code {process.ExitCode}:\n{Log}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                using var reader = new StreamReader(client.GetStream(), System.Text.Encoding.ASCII);
                await client.GetStream().WriteAsync(login);
                var authenticated = await reader.ReadLineAsync();
                var pinged = await reader.ReadLineAsync();
                if (authenticated == "+OK" && pinged == "+PONG")
                    return;
            }
            catch (Exception exception) when (exception is SocketException or IOException && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"redis-server did not answer the admin's PING within a minute:\n{Log}");
            await Task.Delay(25);
        }
    }

    /// <summary>One node of a local Redis Cluster: its port (its bus 10000 above) and its own data directory.</summary>
    private sealed class ClusterNode(int port, string dataDirectory)
    {
        public int Port { get; } = port;

        public string DataDirectory { get; } = dataDirectory;

        public Process? Process { get; set; }
    }
}
