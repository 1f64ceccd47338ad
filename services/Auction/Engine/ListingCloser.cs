using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>
/// Closes listings when their end comes. Every Auction instance runs one; the close script
/// changes a listing only if it finds it live, so each closes exactly once.
/// </summary>
public sealed class ListingCloser(AuctionEngine engine, IOptions<AuctionOptions> options, ILogger<ListingCloser> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time between looks: with a fast simulated clock a listing may close a moment late
        // on the clock, never early, and no bid is taken after its end (the script checks the time).
        using var timer = new PeriodicTimer(options.Value.CloserInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var closed = await engine.CloseDueListingsAsync();
                if (closed > 0)
                    logger.LogInformation("Closed {Count} listings at their end", closed);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                logger.LogWarning(exception, "Could not close due listings; trying again");
            }
        }
    }
}
