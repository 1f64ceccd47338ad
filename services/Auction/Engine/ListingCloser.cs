using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Jobs;

namespace Remarketing.Auction.Engine;

/// <summary>
/// Closes listings when their end comes. Every Auction instance runs one; the close script
/// changes a listing only if it finds it live, so each closes exactly once, and no bid is taken
/// after its end (the placement script checks the time).
/// </summary>
public sealed class ListingCloser(AuctionEngine engine, IOptions<AuctionOptions> options, ILogger<ListingCloser> logger)
    : ClockJob(options.Value.CloserInterval, logger)
{
    protected override string WhatItDoes => "listings closed at their end";

    protected override Task<int> RunDueAsync() => engine.CloseDueListingsAsync();
}
