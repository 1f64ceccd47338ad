using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>The increment for each price band, and its form for the placement script.</summary>
public sealed class IncrementTable
{
    /// <summary>$25 under $1,000; $50 under $5,000; $100 under $10,000; $250 under $50,000; $500 above.</summary>
    public static IncrementBand[] DefaultBands =>
    [
        new() { BelowCents = 1_000_00, StepCents = 25_00 },
        new() { BelowCents = 5_000_00, StepCents = 50_00 },
        new() { BelowCents = 10_000_00, StepCents = 100_00 },
        new() { BelowCents = 50_000_00, StepCents = 250_00 },
        new() { BelowCents = 0, StepCents = 500_00 },
    ];

    private readonly IncrementBand[] _bands;

    public IncrementTable(IEnumerable<IncrementBand> bands)
    {
        _bands = bands.ToArray();
        var problem = Validate(_bands);
        if (problem is not null)
            throw new ArgumentException(problem, nameof(bands));
        ScriptArguments = [.. _bands.SelectMany(band => new RedisValue[] { band.BelowCents, band.StepCents })];
    }

    public int BandCount => _bands.Length;

    /// <summary>The bands as the placement script takes them after its other arguments: below, step, below, step, ….</summary>
    public IReadOnlyList<RedisValue> ScriptArguments { get; }

    public long StepAt(long priceCents) =>
        _bands.First(band => band.BelowCents == 0 || priceCents < band.BelowCents).StepCents;

    public static string? Validate(IReadOnlyList<IncrementBand> bands)
    {
        if (bands.Count == 0 || bands[^1].BelowCents != 0)
            return "Auction:Increments must end with an open-ended band (BelowCents 0)";
        if (bands.Any(band => band.StepCents <= 0))
            return "every increment must be more than 0 cents";
        for (var i = 1; i < bands.Count - 1; i++)
        {
            if (bands[i].BelowCents <= bands[i - 1].BelowCents)
                return "Auction:Increments bands must rise";
        }

        return bands.Take(bands.Count - 1).Any(band => band.BelowCents <= 0) ? "only the last band may be open-ended" : null;
    }
}
