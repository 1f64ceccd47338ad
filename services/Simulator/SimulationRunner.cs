using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Common.V1;
using Remarketing.Simulator.Output;
using Remarketing.Simulator.Running;
using Spectre.Console;

namespace Remarketing.Simulator;

/// <summary>A run from the command line: connect, check the clock, run with the live view or progress lines, sum up.</summary>
public static class SimulationRunner
{
    /// <summary>Real time between two progress lines when the output is not a terminal.</summary>
    public static TimeSpan PlainInterval { get; set; } = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(SimulationSettings settings, bool plain, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var gateway = new Gateway(settings.Gateways, settings.GatewaysHttp);
        var reading = await ReadClockAsync(gateway, settings, error, cancellationToken);
        if (reading is null)
            return 2;
        if (settings.Step is null && settings.Speed is { } expected && Math.Abs(expected - reading.Speed) > 1e-9 * expected)
        {
            await error.WriteLineAsync(
                $"the system's shared clock runs at {reading.Speed:0.###}x, and this run asks for --speed {expected:0.###}: start the system at that speed " +
                $"(./run.sh --no-sim --speed {expected:0.###}), or leave --speed out to follow the system's clock");
            return 2;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var interrupt = Terminal.OnInterrupt(stop);
        var console = Terminal.For(output, plain, out var live);
        SteppedClock? stepped = null;
        if (settings.Step is { } step)
        {
            try
            {
                stepped = await SteppedClock.PauseAsync(gateway, step, cancellationToken);
            }
            catch (RpcException exception)
            {
                await error.WriteLineAsync(
                    $"--step needs to pause the shared clock, and SetClock answered {exception.StatusCode}: {exception.Status.Detail} " +
                    "(the system must run with Clock:Control on, as ./run.sh starts it)");
                return 2;
            }
        }
        var simulation = new Simulation(gateway, stepped ?? (ISimulationClock)RunningClock.From(reading), settings, TimeProvider.System);
        var display = new SimulationDisplay(simulation, TimeProvider.System);
        var running = simulation.RunAsync(TimeProvider.System, stop.Token);
        if (live)
        {
            await console.Live(display.Render()).AutoClear(false).StartAsync(async context =>
            {
                while (!running.IsCompleted)
                {
                    context.UpdateTarget(display.Render());
                    await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None));
                }
                context.UpdateTarget(display.Render());
            });
        }
        else
        {
            var pace = settings.Step is { } each ? $"clock paused, moved on {DurationText.Format(each)} at a time" : $"clock {reading.Speed:0.##}x";
            console.WriteLine($"simulating through {string.Join(", ", settings.Gateways)} ({pace}, seed {settings.Seed}); progress every {PlainInterval.TotalSeconds:0} s real");
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(PlainInterval, CancellationToken.None));
                console.WriteLine(display.PlainLine());
            }
        }

        var summary = await running;
        if (stepped is not null)
        {
            try
            {
                await stepped.ResumeAsync(CancellationToken.None);
            }
            catch (RpcException exception)
            {
                await error.WriteLineAsync($"the shared clock stays paused: SetClock answered {exception.StatusCode}: {exception.Status.Detail}");
            }
        }
        console.Write(SummaryReport.Table(summary));
        var (json, chart) = SummaryReport.Write(summary, simulation, settings.OutputDirectory);
        console.WriteLine($"summary: {json}");
        console.WriteLine($"chart:   {chart}");
        if (summary.Releases.RefusalsThatChangedSomething > 0)
        {
            await error.WriteLineAsync($"{summary.Releases.RefusalsThatChangedSomething} refused releases changed the pickup order: see the errors above");
            return 1;
        }
        return 0;
    }

    private static async Task<ClockReading?> ReadClockAsync(Gateway gateway, SimulationSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        var hint = "is the system running? ./run.sh --no-sim starts it (or ./run.sh, which also starts this simulation)";
        try
        {
            var headers = await gateway.AsAsync(BackOffice.CenterId, RoleNames.Remarketing, cancellationToken);
            return await gateway.Clock.GetClockAsync(new GetClockRequest(), headers, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"cannot reach the gateway's token endpoint at {string.Join(", ", settings.GatewaysHttp)}: {exception.Message}; {hint}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"the gateway at {string.Join(", ", settings.GatewaysHttp)} did not answer within 10 s; {hint}");
        }
        catch (GatewayUnavailableException exception)
        {
            await error.WriteLineAsync($"{exception.Message}; {hint}");
        }
        catch (RpcException exception)
        {
            await error.WriteLineAsync($"the gateway at {string.Join(", ", settings.Gateways)} answered {exception.StatusCode}: {exception.Status.Detail}; {hint}");
        }
        return null;
    }
}
