using System.Net;
using System.Net.Sockets;

namespace Remarketing.Testing;

public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];
    private static readonly (int First, int Last) Range = BelowEphemeralRange();

    /// <summary>
    /// A loopback TCP port nobody listens on right now, never the same twice in this process.
    /// Taken below the kernel's ephemeral range: a port from that range, released here and bound
    /// by a child process a moment later, can meanwhile become the local end of some outgoing
    /// connection.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Range.First, Range.Last + 1);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port) || !CanBind(port))
                    continue;
                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port in {Range.First}-{Range.Last}");
    }

    /// <summary>
    /// A port that is free with the one <paramref name="offset"/> above it (a Redis Cluster node
    /// listens on both: its clients' port and its bus at +10000), both below the ephemeral range.
    /// </summary>
    public static int NextWith(int offset)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(Range.First, Range.Last + 1 - offset);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port) || HandedOut.Contains(port + offset) || !CanBind(port) || !CanBind(port + offset))
                    continue;
                HandedOut.Add(port);
                HandedOut.Add(port + offset);
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port pair {offset} apart in {Range.First}-{Range.Last}");
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int First, int Last) BelowEphemeralRange()
    {
        var firstEphemeral = 32768;
        const string rangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(rangeFile) && int.TryParse(File.ReadAllText(rangeFile).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var first))
            firstEphemeral = first;
        return (Math.Max(1024, firstEphemeral - 12_000), firstEphemeral - 1);
    }
}
