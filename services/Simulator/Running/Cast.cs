using Grpc.Core;

namespace Remarketing.Simulator.Running;

/// <summary>What every simulated person works with: the gateway, the clock, the agenda and the record of what happened.</summary>
public sealed class Cast(Gateway gateway, ISimulationClock clock, Agenda agenda, Observations seen, SimulationSettings settings, string runTag)
{
    /// <summary>The least real time between two polls of the same list, so a fast clock does not turn polling into a flood.</summary>
    private static readonly TimeSpan LeastRealPollInterval = TimeSpan.FromMilliseconds(250);

    public Gateway Gateway { get; } = gateway;

    public ISimulationClock Clock { get; } = clock;

    public Agenda Agenda { get; } = agenda;

    public Observations Seen { get; } = seen;

    public SimulationSettings Settings { get; } = settings;

    /// <summary>This run's own tag, in every id the simulated people choose, so a run never repeats another's request ids.</summary>
    public string RunTag { get; } = runTag;

    public DateTimeOffset Now => Clock.Now;

    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>A poll interval: <paramref name="simulated"/>, or more when the clock runs so fast that it would be under a quarter second of real time.</summary>
    public TimeSpan Every(TimeSpan simulated)
    {
        var floor = LeastRealPollInterval * Clock.Speed;
        return floor > simulated ? floor : simulated;
    }

    /// <summary>Runs one step; a refusal or an unreachable service is counted and shown, never the end of the run.</summary>
    public async Task TryAsync(string what, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (RpcException exception) when (exception.StatusCode != StatusCode.Cancelled)
        {
            Seen.Error($"{what}: {exception.StatusCode} {exception.Status.Detail}");
        }
        catch (GatewayUnavailableException exception)
        {
            Seen.Error($"{what}: {exception.Message}");
        }
        catch (HttpRequestException exception)
        {
            Seen.Error($"{what}: {exception.Message}");
        }
    }

    /// <summary>
    /// As <see cref="TryAsync"/>, for a step that can only be taken before <paramref name="deadline"/> (simulated time):
    /// refused FailedPrecondition once the clock has reached it, the person came too late (the machine
    /// was too busy to keep the simulated people on time) and it is counted as such, not as an error.
    /// </summary>
    public Task TryInTimeAsync(string what, DateTimeOffset deadline, Func<Task> step) =>
        TryAsync(what, async () =>
        {
            try
            {
                await step();
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.FailedPrecondition && Now >= deadline)
            {
                Seen.TooLate($"{what}: {exception.Status.Detail} (at {Now:yyyy-MM-dd HH:mm}, the deadline was {deadline:yyyy-MM-dd HH:mm})");
            }
        });

    /// <summary>Books <paramref name="step"/> at <paramref name="at"/> (or now, if that has passed).</summary>
    public void At(DateTimeOffset at, string key, Func<CancellationToken, Task> step)
    {
        var now = Now;
        Agenda.At(at > now ? at : now, key, step);
    }

    /// <summary>Books <paramref name="poll"/> now and every <paramref name="interval"/> after.</summary>
    public void Recurring(string key, TimeSpan interval, Func<CancellationToken, Task> poll, DateTimeOffset? first = null)
    {
        async Task Run(CancellationToken cancellationToken)
        {
            await poll(cancellationToken);
            Agenda.At(Now + Every(interval), key, Run);
        }
        Agenda.At(first ?? Now, key, Run);
    }

    /// <summary>Waits a moment of real time before a stream reconnects; returns early, quietly, when the run stops.</summary>
    public static async Task PauseAsync(TimeSpan realTime, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(realTime, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Reads a server stream with <paramref name="readOnce"/> until <paramref name="cancellationToken"/> is cancelled or
    /// <paramref name="readOnce"/> returns true (done); a break is shown with <paramref name="report"/> and the stream opened again.
    /// A stream ended Unavailable (a gateway or service instance went away) goes to <paramref name="resumed"/> instead, if given:
    /// it is what a client of several instances expects, and resumes.
    /// </summary>
    public static async Task KeepStreamingAsync(
        string what, Func<CancellationToken, Task<bool>> readOnce, Action<string> report, TimeSpan pause, CancellationToken cancellationToken, Action<string>? resumed = null)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await readOnce(cancellationToken))
                    return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Unavailable && resumed is not null)
            {
                resumed($"{what}: {exception.Status.Detail} (reconnecting)");
            }
            catch (RpcException exception)
            {
                report($"{what}: {exception.StatusCode} {exception.Status.Detail} (reconnecting)");
            }
            catch (Exception exception) when (exception is GatewayUnavailableException or HttpRequestException)
            {
                report($"{what}: {exception.Message} (reconnecting)");
            }
            await PauseAsync(pause, cancellationToken);
        }
    }
}
