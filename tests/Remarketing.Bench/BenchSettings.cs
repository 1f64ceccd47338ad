using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Remarketing.Bench;

/// <summary>The command line of the bench and its defaults (see docs/benchmarks.md).</summary>
public sealed record BenchSettings(
    Uri Gateway, Uri Auction, string Redis, string Keys, int Seconds, int Concurrency, int Listings, int Dealers,
    IReadOnlyList<int> Watchers, int BidRate, int FanOutSeconds, string Peer, int ManyListings, int WatchersPerListing, IReadOnlySet<string> Phases, string WatchClient, int WarmUpSeconds,
    int Repeat)
{
    private static readonly string[] KnownPhases = ["unary", "stream", "fanout", "many", "fsync"];

    /// <summary>HAProxy's half-load phases before the gateway's (every other run of --repeat); the gateway's first otherwise.</summary>
    public bool HalfLoadThroughPeerFirst { get; init; }

    /// <summary>An http(s) address option: System.CommandLine has no parser of its own for a Uri (an address given was refused).</summary>
    private static Option<Uri> Address(string name, string description, string fallback) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => new Uri(fallback),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
                return address;
            result.AddError($"{name} is an http address, e.g. {fallback}: '{text}' is not one");
            return null;
        },
    };

    /// <summary>
    /// The settings the command line asks for; null with the exit code when it asked for --help
    /// (0) or was refused (1, the reasons already printed).
    /// </summary>
    public static (BenchSettings? Settings, int ExitCode) FromCommandLine(string[] args)
    {
        var gateway = Address("--gateway", "the gateway's gRPC address", "http://127.0.0.1:5000");
        var auction = Address("--auction", "the Auction service's gRPC address", "http://127.0.0.1:5103");
        var redis = new Option<string>("--redis") { Description = "Redis, host:port", DefaultValueFactory = _ => "127.0.0.1:6379" };
        var keys = new Option<string>("--keys") { Description = "the system's keys folder (token signing keys, Redis passwords)", DefaultValueFactory = _ => ".data/keys" };
        var seconds = Positive(new Option<int>("--seconds") { Description = "seconds per phase", DefaultValueFactory = _ => 8 });
        var concurrency = Positive(new Option<int>("--concurrency") { Description = "calls in flight", DefaultValueFactory = _ => 32 });
        var listings = Positive(new Option<int>("--listings") { Description = "listings per phase", DefaultValueFactory = _ => 30_000 });
        var dealers = Positive(new Option<int>("--dealers") { Description = "buying dealers (tokens)", DefaultValueFactory = _ => 500 });
        var watchers = new Option<string>("--watchers") { Description = "fan-out sizes, comma-separated", DefaultValueFactory = _ => "1000" };
        watchers.Validators.Add(result => Refuse(result, WatcherSizes(result.GetValueOrDefault<string>()) is null, "--watchers takes positive sizes, comma-separated, e.g. 1000,10000"));
        var bidRate = Positive(new Option<int>("--bid-rate") { Description = "bids a second during fan-out", DefaultValueFactory = _ => 20 });
        var fanOutSeconds = Positive(new Option<int>("--fanout-seconds") { Description = "seconds of bidding per fan-out size", DefaultValueFactory = _ => 10 });
        var peer = new Option<string>("--peer") { Description = "the peer measured in front of the same service", DefaultValueFactory = _ => "haproxy" };
        peer.AcceptOnlyFromAmong("haproxy", "none");
        var many = new Option<string>("--many") { Description = "listings x watchers each, for phase many", DefaultValueFactory = _ => "200x50" };
        many.Validators.Add(result => Refuse(result, ListingsByWatchers(result.GetValueOrDefault<string>()) is null, "--many is <listings>x<watchers>, e.g. 200x50"));
        var phases = new Option<string>("--phases") { Description = $"phases to run, comma-separated: {string.Join(", ", KnownPhases)}", DefaultValueFactory = _ => "unary,stream,fanout,many" };
        phases.Validators.Add(result =>
        {
            var unknown = (result.GetValueOrDefault<string>() ?? "").Split(',').Except(KnownPhases).FirstOrDefault();
            Refuse(result, unknown is not null, $"unknown phase '{unknown}': --phases takes {string.Join(", ", KnownPhases)}");
        });
        var watchClient = new Option<string>("--watch-client") { Description = "how watchers read: raw HTTP/2 frames, or the grpc-dotnet client", DefaultValueFactory = _ => "raw" };
        watchClient.AcceptOnlyFromAmong("raw", "grpc");
        var warmUp = new Option<int>("--warm-up") { Description = "seconds of warm-up before measuring", DefaultValueFactory = _ => 10 };
        warmUp.Validators.Add(result => Refuse(result, result.GetValueOrDefault<int>() < 0, "--warm-up is 0 or more seconds"));

        var repeat = new Option<int>("--repeat")
        {
            Description = "run the phases on this many systems, each started fresh with ./run.sh --no-sim (no system may be running), "
                + "and print each figure's median (min–max); 0: once, on the system already running",
            DefaultValueFactory = _ => 0,
        };
        repeat.Validators.Add(result => Refuse(result, result.GetValueOrDefault<int>() is < 0 or > 20, "--repeat is 0 (the running system) to 20"));

        var root = new RootCommand("The Auction benchmark against a system started with ./run.sh --no-sim: each workload raw on Redis, direct to the Auction " +
            "service, through the gateway and through HAProxy in front of the same service; prints a table.")
        {
            gateway, auction, redis, keys, seconds, concurrency, listings, dealers, watchers, bidRate, fanOutSeconds, peer, many, phases, watchClient, warmUp, repeat,
        };
        BenchSettings? settings = null;
        root.SetAction(parsed =>
        {
            var (manyListings, perListing) = ListingsByWatchers(parsed.GetValue(many))!.Value;
            settings = new BenchSettings(
                parsed.GetValue(gateway)!, parsed.GetValue(auction)!, parsed.GetValue(redis)!, parsed.GetValue(keys)!, parsed.GetValue(seconds), parsed.GetValue(concurrency),
                parsed.GetValue(listings), parsed.GetValue(dealers), WatcherSizes(parsed.GetValue(watchers))!, parsed.GetValue(bidRate), parsed.GetValue(fanOutSeconds),
                parsed.GetValue(peer)!, manyListings, perListing, parsed.GetValue(phases)!.Split(',').ToHashSet(StringComparer.Ordinal), parsed.GetValue(watchClient)!,
                parsed.GetValue(warmUp), parsed.GetValue(repeat));
            return 0;
        });
        // As the simulator does: a bad option is its message and a pointer to --help, not the whole help text.
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var message in parsed.Errors.Select(problem => problem.Message).Distinct(StringComparer.Ordinal))
                Console.Error.WriteLine(message);
            Console.Error.WriteLine("see --help");
            return (null, 1);
        }
        var exitCode = parsed.Invoke();
        return (settings, exitCode);
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result => Refuse(result, result.GetValueOrDefault<int>() < 1, $"{option.Name} is a positive number"));
        return option;
    }

    private static void Refuse(OptionResult result, bool refused, string why)
    {
        if (refused)
            result.AddError(why);
    }

    private static List<int>? WatcherSizes(string? text)
    {
        var sizes = (text ?? "").Split(',').Select(size => int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : 0).ToList();
        return sizes.Contains(0) ? null : sizes;
    }

    private static (int Listings, int WatchersEach)? ListingsByWatchers(string? text)
    {
        var parts = (text ?? "").Split('x');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var listings)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var watchers)
            ? (listings, watchers)
            : null;
    }
}
