using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Remarketing.ServiceDefaults.Limits;

/// <summary>A token bucket: bursts of <see cref="TokenLimit"/>, then <see cref="TokensPerPeriod"/> each <see cref="ReplenishmentPeriod"/>.</summary>
public sealed class TokenBucketSettings
{
    [Range(1, 1_000_000)]
    public int TokenLimit { get; set; }

    [Range(1, 1_000_000)]
    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    public string Describe(string what) =>
        $"at most {TokensPerPeriod} {what} per {ReplenishmentPeriod.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (bursts of {TokenLimit}) per caller";
}
