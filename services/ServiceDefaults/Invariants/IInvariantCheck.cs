namespace Remarketing.ServiceDefaults.Invariants;

/// <summary>
/// One rule a service's own data must keep, checked against Redis: e.g. a live listing is in the
/// closing index and holds its vehicle's claim. A check reads only what the service's own Redis
/// user may read, and changes nothing.
/// </summary>
public interface IInvariantCheck
{
    /// <summary>What it checks, e.g. "listings".</summary>
    string Name { get; }

    /// <summary>The breaches as Redis holds them now. A change under way may show as one for a moment: <see cref="Recheck"/> looks again.</summary>
    Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="suspects"/> still hold on a second look (by default, a whole new look).</summary>
    async Task<IReadOnlyList<Breach>> Recheck(IReadOnlyList<Breach> suspects, CancellationToken cancellationToken)
    {
        var again = (await FindAsync(cancellationToken)).ToHashSet();
        return [.. suspects.Where(again.Contains)];
    }
}
