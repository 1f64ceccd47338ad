namespace Remarketing.Simulator.Running;

/// <summary>What a run is told on the command line (see <c>simulator --help</c>).</summary>
/// <param name="Gateways">Every gateway's gRPC address: calls go round robin over those that answer.</param>
/// <param name="GatewaysHttp">Every gateway's HTTP/1.1 address, asked in turn for tokens.</param>
/// <param name="Speed">The shared clock's speed the run expects; null = whatever the system's clock runs at.</param>
/// <param name="Duration">How long to run, in simulated time; null = until Ctrl-C.</param>
/// <param name="ReturnsFor">Returns happen only this long after the start (then the run lets the vehicles finish); null = the whole run.</param>
/// <param name="OutputDirectory">Where the summary (JSON) and the chart are written.</param>
/// <param name="InspectionCompanies">The inspection companies the simulator plays (the Inspection service's Inspection:Companies).</param>
/// <param name="Step">A stepped run: the shared clock is paused and moved on by this much at a time once all is quiet; null = run with the clock.</param>
/// <param name="Settle">In a stepped run, the real time the services get after each move of the clock for their periodic jobs (at least their job intervals).</param>
public sealed record SimulationSettings(
    IReadOnlyList<Uri> Gateways,
    IReadOnlyList<Uri> GatewaysHttp,
    int Seed,
    double? Speed,
    double ReturnsPerDay,
    int Dealers,
    TimeSpan? Duration,
    TimeSpan? ReturnsFor,
    string OutputDirectory,
    IReadOnlyList<string> InspectionCompanies,
    int Carriers,
    TimeSpan? Step = null,
    TimeSpan? Settle = null)
{
    /// <summary>Longer than the services' default job intervals (1 s), as ./run.sh starts them.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(1.5);

    public static readonly Uri DefaultGateway = new("http://127.0.0.1:5000");
    public static readonly Uri DefaultGatewayHttp = new("http://127.0.0.1:5080");
    public static readonly IReadOnlyList<string> DefaultInspectionCompanies = ["INSP-ACME", "INSP-LOTCHECK"];
}
