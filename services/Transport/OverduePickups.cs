using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Jobs;
using Remarketing.Transport.Domain;

namespace Remarketing.Transport;

/// <summary>
/// Notices pickups that pass their due time unreleased: a change on the order's log, so whoever
/// watches it sees the overdue flag at once. The flag itself is figured from the clock wherever
/// the order is shown, so it never waits for this job. Every instance runs one; each notice is a
/// transaction on the order, so it is written once.
/// </summary>
public sealed class OverduePickups(TransportStore store, TimeProvider clock, IOptions<TransportOptions> options, ILogger<OverduePickups> logger)
    : ClockJob(options.Value.JobInterval, logger)
{
    protected override string WhatItDoes => "pickups noticed overdue";

    protected override Task<int> RunDueAsync() => NoticeOverdueAsync();

    public async Task<int> NoticeOverdueAsync()
    {
        var now = clock.GetUtcNow();
        var noticed = 0;
        foreach (var orderId in await store.OverdueChecksAsync(now))
        {
            var changed = await store.ChangeAsync(orderId, order =>
            {
                if (order.OverdueNotedAt is not null || !order.IsOverdueAt(now))
                    return null;
                var overdue = (order with { OverdueNotedAt = now }).Changed();
                return new Decision<bool>(overdue, true) { Change = OrderChange.Overdue, At = now, SideRecords = [new SideRecord.OverdueNoted(overdue)] };
            });
            if (changed)
                noticed++;
            else if (await store.FindAsync(orderId) is not { OverdueNotedAt: null, IsReleased: false })
                await store.ForgetOverdueCheckAsync(orderId);
        }
        return noticed;
    }
}
