using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Remarketing.Bench;

/// <summary>
/// HAProxy (Debian's package) in front of the same Auction service, as the gateway's peer: h2c
/// in, h2 to the backend, no authentication or limits of its own (the bench sends it the
/// gateway's forwarded identities). Started by the bench, stopped when disposed.
/// </summary>
public sealed class HaproxyPeer : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private HaproxyPeer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public static async Task<HaproxyPeer> StartAsync(Uri backend)
    {
        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("bench-haproxy-").FullName;
        var config = Path.Combine(directory, "haproxy.cfg");
        // maxconn above about 9,000 fails on this machine (FD limit 20,000); streams are
        // multiplexed on few connections, so it limits connections, not streams.
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global
              maxconn 8000
              nbthread 2
              tune.h2.max-concurrent-streams 1000
            defaults
              mode http
              timeout connect 5s
              timeout client 10m
              timeout server 10m
            frontend grpc
              bind 127.0.0.1:{port} proto h2
              default_backend auction
            backend auction
              server auction {backend.Host}:{backend.Port} proto h2

            """));
        var process = Process.Start(new ProcessStartInfo("haproxy") { ArgumentList = { "-db", "-f", config }, RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("haproxy did not start (apt-get install haproxy)");
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 } text) Console.Error.WriteLine($"  haproxy: {text}"); };
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"haproxy exited at start ({process.ExitCode}); config in {config}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new HaproxyPeer(process, directory, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException("haproxy did not listen within 10 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
