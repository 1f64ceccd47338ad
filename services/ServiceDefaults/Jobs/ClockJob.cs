using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Jobs;

/// <summary>
/// Work that comes due on the shared clock (closing listings, sending letters), looked for at a
/// fixed real-time interval in every instance. The work itself must be safe to run in several
/// instances at once; a Redis hiccup only skips one look.
/// </summary>
public abstract partial class ClockJob(TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>Does whatever has come due; how many things it did, for the log.</summary>
    protected abstract Task<int> RunDueAsync();

    /// <summary>What <see cref="RunDueAsync"/> does, for the log, e.g. "listings closed at their end".</summary>
    protected abstract string WhatItDoes { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time between looks: with a fast simulated clock the work may happen a moment late
        // on the clock, never early (each step checks the clock itself).
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var done = await RunDueAsync();
                if (done > 0)
                    Done(logger, done, WhatItDoes);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                CouldNotRun(logger, exception, GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} {What}")]
    private static partial void Done(ILogger logger, int count, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} could not run; trying again at the next look")]
    private static partial void CouldNotRun(ILogger logger, Exception exception, string job);
}
