using System.Diagnostics;
using System.Globalization;

namespace Remarketing.Bench;

/// <summary>Resident memory of the system's processes, found by their assembly name (or process name).</summary>
public static class ProcessMemory
{
    /// <summary>
    /// dotnet-gcdump as the checkout's tool manifest pins it (.config/dotnet-tools.json), restored
    /// on first use (<c>dotnet tool restore</c>), so a fresh clone reads memory after a forced GC.
    /// </summary>
    private static readonly Lazy<bool> GcDumpRestored = new(() =>
        Dotnet("tool", "restore") == 0 && Dotnet("tool", "run", "dotnet-gcdump", "--version") == 0);

    /// <summary>False when dotnet-gcdump could not be restored (no NuGet), and memory is read without a forced GC.</summary>
    public static bool CanForceGc => GcDumpRestored.Value;

    /// <summary>The checkout the bench runs from (its processes' working directories are under it).</summary>
    private static string Root => Directory.GetCurrentDirectory();

    /// <summary>
    /// The resident memory of the processes after a full, blocking GC in each (dotnet-gcdump
    /// forces one before it walks the heap), so garbage not yet collected does not count.
    /// </summary>
    public static async Task<long> ResidentAfterGcBytesAsync(string assemblyName)
    {
        if (CanForceGc)
        {
            foreach (var pid in ProcessIds(assemblyName))
            {
                var file = Path.Combine(Path.GetTempPath(), $"bench-{pid}-{Guid.NewGuid():N}.gcdump");
                using var dump = Start("tool", "run", "dotnet-gcdump", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file);
                if (dump is null)
                    continue;
                await Task.WhenAll(dump.StandardOutput.ReadToEndAsync(), dump.StandardError.ReadToEndAsync());
                await dump.WaitForExitAsync();
                File.Delete(file);
            }
        }

        return ResidentBytes(assemblyName);
    }

    private static Process? Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Process.Start(start);
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in the checkout; its exit code (-1 when it did not start).</summary>
    private static int Dotnet(params string[] arguments)
    {
        using var process = Start(arguments);
        if (process is null)
            return -1;
        // Both read at once: a full pipe on either would stall the other.
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Task.WaitAll(output, errors);
        return process.ExitCode;
    }

    public static long ResidentBytes(string assemblyName) =>
        ProcessIds(assemblyName).Sum(pid => Resident(pid));

    public static long Resident(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            // The process ended while we read it.
            return 0;
        }
    }

    public static List<int> ProcessIds(string assemblyName) =>
        ProcessIdsWhere(commandLine => commandLine.Contains(assemblyName + ".dll", StringComparison.Ordinal));

    /// <summary>This checkout's Redis (run.sh starts it in .data/redis).</summary>
    public static List<int> RedisProcessIds() =>
        ProcessIdsWhere(commandLine => commandLine.StartsWith("redis-server", StringComparison.Ordinal));

    private static List<int> ProcessIdsWhere(Func<string, bool> commandLineMatches)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            try
            {
                // Only this checkout's system (its processes run from its artifacts/): other
                // checkouts on the machine may run theirs.
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget ?? "";
                if (commandLineMatches(commandLine) && workingDirectory.StartsWith(Root, StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
