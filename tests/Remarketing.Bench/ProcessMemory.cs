namespace Remarketing.Bench;

/// <summary>Resident memory of the system's processes, found by their assembly name.</summary>
public static class ProcessMemory
{
    public static long ResidentBytes(string assemblyName)
    {
        long total = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!commandLine.Contains(assemblyName + ".dll", StringComparison.Ordinal))
                    continue;
                var line = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null)
                    total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
            catch (IOException)
            {
                // The process ended while we read it.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return total;
    }
}
