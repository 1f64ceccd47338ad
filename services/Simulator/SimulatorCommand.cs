using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Remarketing.Simulator.Output;
using Remarketing.Simulator.Running;

namespace Remarketing.Simulator;

/// <summary>The command line: run a simulation (the root command) or watch the market (<c>market</c>).</summary>
public static class SimulatorCommand
{
    public const int DefaultSeed = 42;
    public const double DefaultReturnsPerDay = 40;
    public const int DefaultDealers = 10;
    public const string DefaultOutput = ".data/simulation";

    /// <summary>Runs the command; a bad option is its message and a pointer to --help (exit 1), not the whole help text.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parsed = Build(output, error).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var message in parsed.Errors.Select(problem => problem.Message).Distinct(StringComparer.Ordinal))
                await error.WriteLineAsync(message);
            await error.WriteLineAsync("see --help");
            return 1;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var gateway = new Option<IReadOnlyList<Uri>>("--gateway")
        {
            Description = "the gateway's gRPC address (HTTP/2 without TLS); several gateways' separated by commas, "
                + "for calls to go round robin over those that answer",
            DefaultValueFactory = _ => [SimulationSettings.DefaultGateway],
            CustomParser = AbsoluteUris,
        };
        var gatewayHttp = new Option<IReadOnlyList<Uri>>("--gateway-http")
        {
            Description = "the gateway's HTTP/1.1 address, where POST /dev/token gives the simulated people their tokens; "
                + "several separated by commas, asked in turn",
            DefaultValueFactory = _ => [SimulationSettings.DefaultGatewayHttp],
            CustomParser = AbsoluteUris,
        };
        var plain = new Option<bool>("--plain") { Description = "print progress lines instead of the live view (the default when output is not a terminal)" };

        var seed = new Option<int>("--seed")
        {
            Description = "the scenario's seed: the same seed and speed give the same accounts, returns, conditions, dealers and valuations",
            DefaultValueFactory = _ => DefaultSeed,
            CustomParser = result => WholeNumber(result, "--seed must be a whole number", int.MinValue, int.MaxValue),
        };
        var speed = new Option<double?>("--speed")
        {
            Description = "the shared clock's speed this run expects (how many times faster than real time); default: the system's (./run.sh --speed sets it)",
            CustomParser = result => Number(result, "--speed must be more than 0 and at most 1000000, e.g. --speed 2880 (a simulated day in 30 s)", value => value is > 0 and <= 1_000_000),
        };
        var returnRate = new Option<double>("--return-rate")
        {
            Description = "lease returns per simulated day (lessee returns, dealer purchases, extensions in the scenario's mix)",
            DefaultValueFactory = _ => DefaultReturnsPerDay,
            CustomParser = result => Number(result, "--return-rate must be more than 0 and at most 10000 returns a simulated day", value => value is > 0 and <= 10_000) ?? 0,
        };
        var dealers = new Option<int>("--dealers")
        {
            Description = "buying dealers (bots), each with its own style and valuations",
            DefaultValueFactory = _ => DefaultDealers,
            CustomParser = result => WholeNumber(result, "--dealers must be 1-200", 1, 200),
        };
        var duration = new Option<TimeSpan?>("--duration") { Description = "how long to run, in simulated time: 6d, 36h, 90m or 1.12:00:00; default: until Ctrl-C", CustomParser = SimulatedDuration };
        var returnsFor = new Option<TimeSpan?>("--returns-for") { Description = "vehicles are returned only this long after the start, then the run lets them finish (default: the whole run)", CustomParser = SimulatedDuration };
        var step = new Option<TimeSpan?>("--step")
        {
            Description = "a stepped run: pause the shared clock and move it on by this much (1h, 30m) each time everyone has acted and the services' hand-offs are delivered; " +
                "the same seed and step then give the same summary. Default: run with the clock",
            CustomParser = SimulatedDuration,
        };
        var settle = new Option<TimeSpan?>("--settle")
        {
            Description = "with --step: real time the services get after each move of the clock for their periodic jobs, at least their job intervals (default 1.5s; 250ms, 0.25s)",
            CustomParser = RealPause,
        };
        var outputDirectory = new Option<string>("--output") { Description = "where the summary (JSON) and the chart (PNG) go", DefaultValueFactory = _ => DefaultOutput };
        var inspectors = new Option<string>("--inspectors")
        {
            Description = "the inspection companies the simulator plays, comma-separated (the Inspection service's Inspection:Companies)",
            DefaultValueFactory = _ => string.Join(",", SimulationSettings.DefaultInspectionCompanies),
        };
        var carriers = new Option<int>("--carriers")
        {
            Description = "transport companies",
            DefaultValueFactory = _ => 3,
            CustomParser = result => WholeNumber(result, "--carriers must be 1-50", 1, 50),
        };

        var root = new RootCommand(
            "Simulates the lease-end business through the gateway: opens lease accounts and returns vehicles (lessee returns, " +
            "dealer purchases, extensions), plays the inspectors, transporters and grounding dealers, and runs buying-dealer bots " +
            "that bid live. Shows the system live and writes a summary with a chart at the end (--duration or Ctrl-C).")
        {
            gateway, gatewayHttp, seed, speed, returnRate, dealers, duration, returnsFor, step, settle, outputDirectory, inspectors, carriers, plain,
        };
        root.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(duration) is { } run && parsed.GetValue(returnsFor) is { } returns && returns > run)
            {
                await error.WriteLineAsync($"--returns-for ({returns}) cannot be longer than --duration ({run})");
                await error.WriteLineAsync("see --help");
                return 1;
            }
            if (parsed.GetValue(step) is not null && parsed.GetValue(speed) is not null)
            {
                await error.WriteLineAsync("--step and --speed do not go together: a stepped run pauses the clock and moves it itself");
                await error.WriteLineAsync("see --help");
                return 1;
            }
            var companies = parsed.GetValue(inspectors)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var settings = new SimulationSettings(
                parsed.GetValue(gateway)!, parsed.GetValue(gatewayHttp)!, parsed.GetValue(seed), parsed.GetValue(speed), parsed.GetValue(returnRate),
                parsed.GetValue(dealers), parsed.GetValue(duration), parsed.GetValue(returnsFor), parsed.GetValue(outputDirectory)!, companies, parsed.GetValue(carriers),
                parsed.GetValue(step), parsed.GetValue(settle));
            return await SimulationRunner.RunAsync(settings, parsed.GetValue(plain), output, error, cancellationToken);
        });

        var market = new Command("market", "Watches every live listing (WatchMarket, as the remarketing center), refreshing in place, until Ctrl-C.")
        {
            gateway, gatewayHttp, plain,
        };
        market.SetAction((parsed, cancellationToken) =>
            MarketWatch.RunAsync(parsed.GetValue(gateway)!, parsed.GetValue(gatewayHttp)!, parsed.GetValue(plain), output, error, cancellationToken));
        root.Subcommands.Add(market);
        return root;
    }

    private static List<Uri>? AbsoluteUris(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var addresses = new List<Uri>();
        foreach (var address in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError($"'{address}' is not an http:// address, e.g. http://127.0.0.1:5000 (several: separated by commas)");
                return null;
            }
            addresses.Add(uri);
        }
        return addresses;
    }

    private static double? Number(ArgumentResult result, string rule, Func<double, bool> allowed)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && allowed(value))
            return value;
        result.AddError($"{rule}; '{text}' is not");
        return null;
    }

    private static int WholeNumber(ArgumentResult result, string rule, int least, int most)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= least && value <= most)
            return value;
        result.AddError($"{rule}; '{text}' is not");
        return 0;
    }

    private static TimeSpan? RealPause(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text[..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds is > 0 and <= 60_000)
            return TimeSpan.FromMilliseconds(milliseconds);
        if (DurationText.TryParse(text, out var parsed) && parsed > TimeSpan.Zero && parsed <= TimeSpan.FromMinutes(1))
            return parsed;
        result.AddError($"--settle must be more than 0 and at most a minute of real time, as 250ms or 1.5s; '{text}' is not");
        return null;
    }

    private static TimeSpan? SimulatedDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DurationText.TryParse(text, out var parsed) && parsed > TimeSpan.Zero && parsed <= TimeSpan.FromDays(3_650))
            return parsed;
        result.AddError($"'{text}' is not a simulated duration: give more than 0 and at most 3650 days, as 6d, 36h, 90m or 1.12:00:00");
        return null;
    }
}
