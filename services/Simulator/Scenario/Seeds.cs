namespace Remarketing.Simulator.Scenario;

/// <summary>
/// Random number generators derived from the run's seed and a name, the same on every machine
/// and every run (unlike <see cref="HashCode"/>, which is randomized per process): each part of
/// the scenario and each bot draws from its own, so adding a draw in one never shifts another.
/// </summary>
public static class Seeds
{
    public static Random For(int seed, string stream, long index = 0) => new(Derive(seed, stream, index));

    public static int Derive(int seed, string stream, long index = 0)
    {
        var state = Mix((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var c in stream)
            state = Mix(state ^ c);
        state = Mix(state ^ (ulong)index);
        return (int)(state & int.MaxValue);
    }

    /// <summary>A stable hash of text (FNV-1a, 64 bits).</summary>
    public static long Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return (long)(hash & long.MaxValue);
    }

    // SplitMix64's finalizer.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
