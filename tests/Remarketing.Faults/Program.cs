using System.CommandLine;
using Remarketing.Faults;

// The fault drill against a system it starts itself (see docs/faults.md). Exit code 1 when any
// count that must be 0 is not.
var dealers = new Option<int>("--dealers") { Description = "buying dealers bidding all the time", DefaultValueFactory = _ => FaultDrillOptions.Standard.Dealers };
var watchers = new Option<int>("--watchers") { Description = "WatchListing streams", DefaultValueFactory = _ => FaultDrillOptions.Standard.Watchers };
var before = new Option<TimeSpan>("--before") { Description = "steady traffic before each fault", DefaultValueFactory = _ => FaultDrillOptions.Standard.Before };
var after = new Option<TimeSpan>("--after") { Description = "steady traffic after the killed process is back", DefaultValueFactory = _ => FaultDrillOptions.Standard.After };
var listings = new Option<int>("--closing-listings") { Description = "listings ending together in the closing fault", DefaultValueFactory = _ => FaultDrillOptions.Standard.ClosingListings };
var small = new Option<bool>("--small") { Description = "the size the test suite runs" };
var root = new RootCommand("Kills the Auction service, the gateway, Redis, and one of two Auction instances while closing, under steady bidding and watching; prints what was lost.")
{
    dealers, watchers, before, after, listings, small,
};
root.SetAction(async (parsed, _) =>
{
    var options = parsed.GetValue(small)
        ? FaultDrillOptions.Small
        : new FaultDrillOptions(parsed.GetValue(dealers), parsed.GetValue(watchers), parsed.GetValue(before), parsed.GetValue(after), parsed.GetValue(listings));
    var reports = await FaultDrill.RunAsync(options, Console.Error);
    Console.WriteLine("| fault | acknowledged bids | lost | duplicated | gaps | stream repeats | stream resumes (after silence) | closes (exactly once / listings) | outcomes (exactly once) | hangs | statuses clients saw | bids the gateway sent again |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|");
    foreach (var report in reports)
    {
        var closes = report.Listings == 0 ? "-" : $"{report.ClosedOnce}/{report.Listings}";
        var outcomes = report.Listings == 0 ? "-" : $"{report.OutcomesOnce}/{report.Listings}";
        Console.WriteLine($"| {report.Fault} | {report.Acknowledged:N0} | {report.Lost} | {report.Duplicated} | {report.Gaps} | {report.StreamRepeats} | {report.Resumes} ({report.Silences}) | {closes} | {outcomes} | {report.Hangs} | {report.Statuses} | {report.BidsResent} |");
    }
    return reports.All(report => report.Passed) ? 0 : 1;
});

var restartsSmall = new Option<bool>("--small") { Description = "the size the test suite runs" };
var restarts = new Command("restarts", "Drives the whole lease-end process through the gateway and SIGKILLs Redis (as shipped) before and after a rewrite of its append-only file and during a burst of bids; prints what was lost.")
{
    restartsSmall,
};
restarts.SetAction(async (parsed, _) =>
{
    var reports = await RestartDrill.RunAsync(parsed.GetValue(restartsSmall) ? RestartDrillOptions.Small : RestartDrillOptions.Standard, Console.Error);
    Console.WriteLine(RestartReport.TableHeader);
    foreach (var report in reports)
        Console.WriteLine(report.TableRow);
    foreach (var example in reports.SelectMany(report => report.Examples))
        Console.Error.WriteLine($"  {example}");
    return reports.All(report => report.Passed) ? 0 : 1;
});
root.Subcommands.Add(restarts);
return await root.Parse(args).InvokeAsync();
