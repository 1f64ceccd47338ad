using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Testcontainers.Redis;

namespace Remarketing.Testing;

/// <summary>
/// A real Redis for tests: the one named by REMARKETING_TEST_REDIS if set; else a Testcontainers
/// Redis where a Docker engine answers; else a local redis-server on a free loopback port,
/// started here and always stopped on dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string ExistingServerVariable = "REMARKETING_TEST_REDIS";

    private readonly Func<ValueTask> _stop;

    private RedisServer(string configuration, Func<ValueTask> stop)
    {
        Configuration = configuration;
        _stop = stop;
    }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var existing = Environment.GetEnvironmentVariable(ExistingServerVariable);
        if (!string.IsNullOrWhiteSpace(existing))
            return new RedisServer(existing, () => ValueTask.CompletedTask);

        if (DockerEngineLikelyAvailable())
        {
            var container = new RedisBuilder("redis:7.2-alpine").Build();
            await container.StartAsync();
            return new RedisServer(container.GetConnectionString(), container.DisposeAsync);
        }

        return await StartLocalServerAsync(null);
    }

    public ValueTask DisposeAsync() => _stop();

    /// <summary>Deletes every key: for fixtures that share one server between tests that must not see each other's data.</summary>
    public async Task FlushAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",allowAdmin=true");
        foreach (var server in connection.GetServers())
            await server.FlushAllDatabasesAsync();
    }

    // Probing Testcontainers without an engine costs seconds; a socket or DOCKER_HOST is the cheap signal.
    private static bool DockerEngineLikelyAvailable() =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    /// <summary>A local redis-server on a free loopback port with these arguments added (e.g. an ACL file), whatever else is available.</summary>
    public static Task<RedisServer> StartLocalAsync(params string[] arguments) => StartLocalServerAsync(null, arguments);

    /// <summary>A local redis-server on <paramref name="port"/> (again, after a kill) with these arguments added.</summary>
    public static Task<RedisServer> StartLocalAsync(int port, params string[] arguments) => StartLocalServerAsync(port, arguments);

    private static async Task<RedisServer> StartLocalServerAsync(int? fixedPort, params string[] arguments)
    {
        var port = fixedPort ?? FreePort.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException(
                "Tests need Redis: install redis-server (apt-get install -y redis-server), run a Docker engine, " +
                $"or point {ExistingServerVariable} at a Redis you own (it will be flushed).", exception);
        }

        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var configuration = $"127.0.0.1:{port}";
        await WaitUntilAnswersAsync(configuration, process);
        return new RedisServer(configuration, () =>
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Waits until the server answers a PING at all: "+PONG", or "-NOAUTH" when its default user is off.</summary>
    private static async Task WaitUntilAnswersAsync(string configuration, Process process)
    {
        var port = int.Parse(configuration.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited at start with code {process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var reply = new byte[64];
                if (await stream.ReadAsync(reply) > 0)
                    return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
            }

            await Task.Delay(50);
        }
    }
}
