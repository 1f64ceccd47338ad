using System.Globalization;

namespace Remarketing.Bench;

/// <summary>The command line of the bench (<c>--name value</c>) and its defaults.</summary>
public sealed record BenchSettings(
    Uri Gateway, Uri Auction, string Redis, string Keys, int Seconds, int Concurrency, int Listings, int Dealers,
    IReadOnlyList<int> Watchers, int BidRate, int FanOutSeconds, string Peer, int ManyListings, int WatchersPerListing, IReadOnlySet<string> Phases, string WatchClient, int WarmUpSeconds)
{
    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"unexpected argument '{args[i]}': options are --name value (see docs/benchmarks.md)");
            values[args[i][2..]] = args[++i];
        }

        string Text(string name, string fallback) => values.Remove(name, out var value) ? value : fallback;
        int Number(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var many = Text("many", "200x50").Split('x');
        var settings = new BenchSettings(
            Gateway: new Uri(Text("gateway", "http://127.0.0.1:5000")),
            Auction: new Uri(Text("auction", "http://127.0.0.1:5103")),
            Redis: Text("redis", "127.0.0.1:6379"),
            Keys: Text("keys", ".data/keys"),
            Seconds: Number("seconds", 8),
            Concurrency: Number("concurrency", 32),
            Listings: Number("listings", 30_000),
            Dealers: Number("dealers", 500),
            Watchers: [.. Text("watchers", "1000").Split(',').Select(size => int.Parse(size, CultureInfo.InvariantCulture))],
            BidRate: Number("bid-rate", 20),
            FanOutSeconds: Number("fanout-seconds", 10),
            Peer: Text("peer", "haproxy"),
            ManyListings: int.Parse(many[0], CultureInfo.InvariantCulture),
            WatchersPerListing: many.Length > 1 ? int.Parse(many[1], CultureInfo.InvariantCulture) : 0,
            Phases: Text("phases", "unary,stream,fanout,many").Split(',').ToHashSet(StringComparer.Ordinal),
            WatchClient: Text("watch-client", "raw"),
            WarmUpSeconds: Number("warm-up", 10));
        if (values.Count > 0)
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        if (settings.Phases.Except(["unary", "stream", "fanout", "many", "fsync"]).FirstOrDefault() is { } unknown)
            throw new ArgumentException($"unknown phase {unknown}: --phases takes unary, stream, fanout, many, fsync");
        if (settings.WatchClient is not ("raw" or "grpc"))
            throw new ArgumentException("--watch-client is raw or grpc");
        if (settings.Peer is not ("haproxy" or "none"))
            throw new ArgumentException("--peer is haproxy or none");
        return settings;
    }
}
