using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Jobs;

namespace Remarketing.Quote;

/// <summary>
/// The clock-driven lease-end work: return kits 120 days before the scheduled end, and
/// dealer-purchase holds that end uncompleted. Every Quote instance runs one; each change is a
/// transaction on the account, so two instances never send a kit or lapse a hold twice.
/// </summary>
public sealed class LeaseEndJobs(LeaseEndDesk desk, IOptions<QuoteOptions> options, ILogger<LeaseEndJobs> logger)
    : ClockJob(options.Value.JobInterval, logger)
{
    protected override string WhatItDoes => "return kits sent or dealer-purchase holds lapsed";

    protected override async Task<int> RunDueAsync() => await desk.SendDueReturnKitsAsync() + await desk.LapseEndedHoldsAsync();
}
