using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Invariants;

/// <summary>
/// Runs the service's <see cref="IInvariantCheck"/>s at start and then at a fixed real-time
/// interval, keeping a breach only if a second look confirms it. Reports them in health
/// ("invariants": Degraded while any holds, naming the first few) and as the metric
/// remarketing.invariants.breaches, by check.
/// </summary>
public sealed partial class InvariantMonitor : BackgroundService, IHealthCheck
{
    public const string MeterName = "Remarketing.Invariants";
    private const int NamedInHealth = 5;

    private readonly IReadOnlyList<IInvariantCheck> _checks;
    private readonly InvariantOptions _options;
    private readonly ILogger<InvariantMonitor> _logger;
    private volatile Result? _latest;

    public InvariantMonitor(IEnumerable<IInvariantCheck> checks, IOptions<InvariantOptions> options, IMeterFactory meters, ILogger<InvariantMonitor> logger)
    {
        _checks = [.. checks];
        _options = options.Value;
        _logger = logger;
        meters.Create(MeterName).CreateObservableGauge("remarketing.invariants.breaches", Measure, description: "Breaches of the service's own invariants, as last confirmed");
    }

    /// <summary>The last complete run: every confirmed breach by check, and when it ended.</summary>
    public sealed record Result(IReadOnlyDictionary<string, IReadOnlyList<Breach>> Breaches, DateTimeOffset At)
    {
        public int Count => Breaches.Values.Sum(found => found.Count);
    }

    public Result? Latest => _latest;

    /// <summary>Runs every check once, confirming what it finds.</summary>
    public async Task<Result> RunOnceAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyList<Breach>>(StringComparer.Ordinal);
        foreach (var check in _checks)
        {
            var suspects = await check.FindAsync(cancellationToken);
            if (suspects.Count > 0 && _options.ConfirmAfter > TimeSpan.Zero)
                await Task.Delay(_options.ConfirmAfter, cancellationToken);
            found[check.Name] = suspects.Count == 0 ? [] : await check.Recheck(suspects, cancellationToken);
        }
        var result = new Result(found, TimeProvider.System.GetUtcNow());
        _latest = result;
        foreach (var breach in found.Values.SelectMany(breaches => breaches))
            Breached(_logger, breach.Subject, breach.Problem);
        return result;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_latest is not { } latest)
            return Task.FromResult(HealthCheckResult.Healthy($"{_checks.Count} checks ({string.Join(", ", _checks.Select(check => check.Name))}), not run yet"));
        var breaches = latest.Breaches.Values.SelectMany(found => found).ToList();
        var ago = $"checked {(TimeProvider.System.GetUtcNow() - latest.At).TotalSeconds:0} s ago";
        var data = latest.Breaches.ToDictionary(pair => pair.Key, pair => (object)pair.Value.Count, StringComparer.Ordinal);
        return Task.FromResult(breaches.Count == 0
            ? HealthCheckResult.Healthy($"no breach of {string.Join(", ", latest.Breaches.Keys)} ({ago})", data)
            : HealthCheckResult.Degraded(
                $"{breaches.Count} breaches ({ago}; the doctor lists all): " + string.Join("; ", breaches.Take(NamedInHealth)) +
                (breaches.Count > NamedInHealth ? "; …" : ""), data: data));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                CouldNotCheck(_logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> Measure() =>
        _latest is not { } latest ? [] : latest.Breaches.Select(pair => new Measurement<long>(pair.Value.Count, new KeyValuePair<string, object?>("check", pair.Key)));

    [LoggerMessage(Level = LogLevel.Error, Message = "Invariant breached: {Subject}: {Problem}")]
    private static partial void Breached(ILogger logger, string subject, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invariants could not be checked; trying again at the next look")]
    private static partial void CouldNotCheck(ILogger logger, Exception exception);
}
