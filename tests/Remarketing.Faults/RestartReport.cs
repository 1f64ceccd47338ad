namespace Remarketing.Faults;

/// <summary>
/// What one SIGKILL of Redis did: the writes the system acknowledged to its clients since the last
/// kill, the keys compared before and after, and what must be 0: writes lost or duplicated, and
/// listings (and orders, schedules) whose records disagree after the restart.
/// </summary>
/// <param name="Examples">The first few things lost, duplicated or in breach, to start looking from.</param>
public sealed record RestartReport(
    string KillPoint, long Acknowledged, long Compared, long Lost, long Duplicated, long Mismatches, IReadOnlyList<string> Examples)
{
    public bool Passed => Lost == 0 && Duplicated == 0 && Mismatches == 0 && Acknowledged > 0;

    /// <summary>Where the test run leaves its table for ./test.sh to print.</summary>
    public static string TableFile => Path.Combine(Remarketing.Testing.RepositoryLayout.Root, "artifacts", "restart-drill.md");

    public static string TableHeader =>
        "| kill point | writes acknowledged | keys / bids compared | lost | duplicated | state/index mismatches |\n|---|--:|--:|--:|--:|--:|";

    public string TableRow => $"| {KillPoint} | {Acknowledged:N0} | {Compared:N0} | {Lost} | {Duplicated} | {Mismatches} |";
}
