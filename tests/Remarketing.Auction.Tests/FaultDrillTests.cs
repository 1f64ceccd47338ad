using Remarketing.Faults;
using Xunit.Abstractions;

namespace Remarketing.Auction.Tests;

/// <summary>
/// Nothing lost: the fault drill at a small size (tests/faults.sh runs it at
/// the size docs/faults.md reports). Each fault must have reached the traffic (clients saw
/// Unavailable, or the gateway sent bids again on new streams) and cost nothing.
/// </summary>
[Trait("Category", "System")]
public sealed class FaultDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheAuctionService_TheGateway_Redis_AClosingInstance_OrARedisClusterPrimary_LosesNoAcknowledgedBid()
    {
        var log = new StringWriter();

        var reports = await FaultDrill.RunAsync(FaultDrillOptions.Small, log);

        output.WriteLine(log.ToString());
        foreach (var report in reports)
            output.WriteLine($"{report.Fault}: {report.Acknowledged} acknowledged, lost {report.Lost}, duplicated {report.Duplicated}, gaps {report.Gaps}, repeats {report.StreamRepeats}, closes {report.ClosedOnce}/{report.Listings}, outcomes {report.OutcomesOnce}/{report.Listings}, hangs {report.Hangs}, {report.Statuses}, bids the gateway resent {report.BidsResent}");
        Assert.Equal(5, reports.Count);
        Assert.All(reports, report =>
        {
            Assert.True(report.Acknowledged > 0, $"{report.Fault}: no bid was acknowledged");
            Assert.True(report.Passed, $"{report.Fault}: lost {report.Lost}, duplicated {report.Duplicated}, gaps {report.Gaps}, repeats {report.StreamRepeats}, closes {report.ClosedOnce}/{report.Listings}, outcomes {report.OutcomesOnce}/{report.Listings}, hangs {report.Hangs}");
            Assert.True(report.ClientStatuses.Keys.All(status => status == Grpc.Core.StatusCode.Unavailable),
                $"{report.Fault}: clients saw {report.Statuses}: {string.Join("; ", report.OtherStatuses)}");
        });
        Assert.All(reports.Where(report => !report.Fault.Contains("Redis", StringComparison.Ordinal)),
            report => Assert.True(report.Felt, $"{report.Fault}: no client saw Unavailable and the gateway sent no bid again: the fault never reached the traffic"));
    }
}
