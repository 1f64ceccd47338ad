using Microsoft.Extensions.Options;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Jobs;

namespace Remarketing.Quote;

/// <summary>
/// The clock-driven lease-end work: return kits 120 days before the scheduled end, and
/// dealer-purchase holds that end uncompleted. Every Quote instance runs one; each change is a
/// transaction on the account, so two instances never send a kit or lapse a hold twice.
/// </summary>
public sealed class LeaseEndJobs(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options, ILogger<LeaseEndJobs> logger)
    : ClockJob(options.Value.JobInterval, logger)
{
    protected override string WhatItDoes => "return kits sent or dealer-purchase holds lapsed";

    protected override async Task<int> RunDueAsync() => await SendDueReturnKitsAsync() + await LapseEndedHoldsAsync();

    /// <summary>Sends every return kit that is due (120 days before the scheduled end). Safe to run in several instances at once.</summary>
    public async Task<int> SendDueReturnKitsAsync()
    {
        var now = clock.GetUtcNow();
        var sent = 0;
        foreach (var accountId in await store.ReturnKitsDueAsync(now))
        {
            var changed = await store.ChangeAsync(accountId, account =>
            {
                if (account.ReturnKitSentAt is not null || account.State != AccountStatus.Active
                    || ReturnKit.DueAt(account, options.Value.ReturnKitDaysBeforeEnd) > now)
                    return null;
                return new Decision<bool>(ReturnKit.Sent(account, now, options.Value), true)
                {
                    SideRecords = [new SideRecord.ReturnKitUnscheduled()],
                };
            });
            if (changed)
                sent++;
            else if (await store.FindAsync(accountId) is not { ReturnKitSentAt: null, State: AccountStatus.Active })
                await store.ForgetReturnKitAsync(accountId);
        }
        return sent;
    }

    /// <summary>Sends to remarketing every dealer-purchase case whose 72-hour hold has ended uncompleted.</summary>
    public async Task<int> LapseEndedHoldsAsync()
    {
        var now = clock.GetUtcNow();
        var lapsed = 0;
        foreach (var accountId in await store.HoldsEndedAsync(now))
        {
            var changed = await store.ChangeAsync(accountId, account =>
            {
                if (account.LatestCase is not { State: CaseState.HeldForDealerPurchase } held || now < held.HoldUntil)
                    return null;
                var remarketed = held with { State = CaseState.InRemarketing };
                var updated = account.WithCase(remarketed);
                return new Decision<bool>(updated, true)
                {
                    SideRecords =
                    [
                        new SideRecord.HoldUnscheduled(),
                        new SideRecord.QueuedForRemarketing(RemarketingHandOff.For(updated, remarketed, "dealer_purchase_hold_lapsed")),
                    ],
                };
            });
            if (changed)
                lapsed++;
            else if (await store.FindAsync(accountId) is not { LatestCase.State: CaseState.HeldForDealerPurchase })
                await store.ForgetHoldAsync(accountId);
        }
        return lapsed;
    }
}
