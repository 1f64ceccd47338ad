using System.Globalization;

namespace Remarketing.Simulator.Tests;

/// <summary>
/// The real system (processes, Redis, gateway) with the shared clock 15,000 times faster than
/// real time: a simulated day in under 6 s, so a listing's 3-day window passes in about 17 s.
/// </summary>
public class SimulatorSystemFixture : SystemOnRedisFixture
{
    public const double Speed = 15_000;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Clock:Epoch"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["Clock:Speed"] = Speed.ToString(CultureInfo.InvariantCulture),
        ["HandOffs:PollInterval"] = "00:00:00.100",
        ["HandOffs:FirstBackoff"] = "00:00:00.100",
        ["HandOffs:MaxBackoff"] = "00:00:01",
        ["Quote:JobInterval"] = "00:00:00.200",
        ["Transport:JobInterval"] = "00:00:00.200",
        ["Auction:CloserInterval"] = "00:00:00.050",
    };

    public SimulationSettings Run(int seed, TimeSpan duration, TimeSpan returnsFor, double returnsPerDay, int dealers, string output) => new(
        System.GatewayGrpcAddresses, System.GatewayHttpAddresses, seed, Speed, returnsPerDay, dealers, duration, returnsFor, output,
        SimulationSettings.DefaultInspectionCompanies, Carriers: 3);
}
