using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>
/// Keeps a shared clock on the definition Redis holds. At start it writes its own configuration
/// there if no clock is there yet (the first process to start), then follows what is stored, so
/// a process started late takes the running clock, not its settings. A sharded PUBLISH on the clock's
/// channel wakes it to read again; it also reads again every few seconds, in case a message was
/// lost while Redis was away. Without an epoch, or without Redis (the gateway), it does nothing.
/// </summary>
/// <param name="lookAgain">Real time between reads when no change is announced (default <see cref="LookAgain"/>).</param>
public sealed partial class ClockFollower(SharedClock clock, IConnectionMultiplexer? redis, ILogger<ClockFollower> logger, TimeSpan? lookAgain = null)
    : BackgroundService, IHealthCheck
{
    public static readonly TimeSpan LookAgain = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _lookAgain = lookAgain ?? LookAgain;

    private readonly ClockStore? _store = clock.IsShared && redis is not null ? new ClockStore(redis) : null;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ChannelMessageQueue? _changes;
    private bool _written;
    private volatile bool _read;

    /// <summary>The first look happens before the host serves calls, so a started process answers on the shared clock.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
            return;
        await LookAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _changes.EndAsync();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var definition = clock.Definition;
        var description = string.Create(CultureInfo.InvariantCulture, $"version {definition.Version}, speed {definition.Speed}");
        return Task.FromResult(
            !clock.IsShared ? HealthCheckResult.Healthy("real time")
            : _store is null ? HealthCheckResult.Healthy($"its own configuration, without Redis: {description}")
            : _read ? HealthCheckResult.Healthy($"the shared clock: {description}")
            : HealthCheckResult.Unhealthy("the shared clock has not been read from Redis yet"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task<bool>? woken = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // One wait on the wake-ups at a time, kept across looks that the interval started.
            woken ??= _wake.Reader.WaitToReadAsync(stoppingToken).AsTask();
            if (await Task.WhenAny(woken, Task.Delay(_lookAgain, stoppingToken)) == woken)
            {
                woken = null;
                _wake.Reader.TryRead(out _);
            }

            if (!stoppingToken.IsCancellationRequested)
                await LookAsync();
        }
    }

    private async Task LookAsync()
    {
        try
        {
            if (_changes is null)
            {
                // Subscribed before reading, so no change between the two goes unheard.
                _changes = await redis!.GetSubscriber().SubscribeAsync(ClockStore.Changes);
                _changes.OnMessage(_ => _wake.Writer.TryWrite(true));
            }

            if (!_written)
            {
                var configured = clock.Definition with { Version = clock.Definition.Version + 1 };
                if (await _store!.WriteIfAbsentAsync(configured))
                    Started(logger, configured.Speed, configured.Start, configured.Epoch);
                _written = true;
            }

            if (await _store!.ReadAsync() is { } stored)
            {
                if (clock.Follow(stored))
                    Following(logger, stored.Version, stored.Speed, stored.Start, stored.Epoch);
                _read = true;
            }
            else
            {
                // Deleted while running (run.sh clears the last run's clock): this process' clock goes back in.
                _written = false;
                _wake.Writer.TryWrite(true);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or JsonException)
        {
            CouldNotRead(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started the shared clock in Redis: speed {Speed}, {Start:O} at {Epoch:O}")]
    private static partial void Started(ILogger logger, double speed, DateTimeOffset start, DateTimeOffset epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following the shared clock version {Version}: speed {Speed}, {Start:O} at {Epoch:O}")]
    private static partial void Following(ILogger logger, long version, double speed, DateTimeOffset start, DateTimeOffset epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the shared clock from Redis; following the last one read, and trying again")]
    private static partial void CouldNotRead(ILogger logger, Exception exception);
}
