using System.Runtime.InteropServices;
using Spectre.Console;

namespace Remarketing.Simulator.Output;

/// <summary>Where output goes: the live terminal (refreshing in place) or plain lines (a file, a pipe, CI, tests).</summary>
public static class Terminal
{
    /// <summary>A console writing to <paramref name="output"/>; live only when that is this process' terminal and plain lines are not asked for.</summary>
    public static IAnsiConsole For(TextWriter output, bool plain, out bool live)
    {
        live = !plain && ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        return live
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
    }

    /// <summary>
    /// Ctrl-C or SIGTERM ends the run gracefully (the summary is still written); a second Ctrl-C
    /// is left to the system's default and ends the process.
    /// </summary>
    public static IDisposable OnInterrupt(CancellationTokenSource stop)
    {
        void Stop(PosixSignalContext context)
        {
            if (stop.IsCancellationRequested)
                return;
            context.Cancel = true;
            stop.Cancel();
        }
        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return new Registrations(interrupt, terminate);
    }

    private sealed class Registrations(params IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
                registration.Dispose();
        }
    }
}
