using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Limits;

public sealed class CallerLimitsOptions
{
    public const string Section = "RateLimits";

    /// <summary>State-changing calls, and each bid sent on a BidStream.</summary>
    [Required]
    public TokenBucketSettings Writes { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 100 };

    /// <summary>Reads, and opening a stream.</summary>
    [Required]
    public TokenBucketSettings Reads { get; set; } = new() { TokenLimit = 1000, TokensPerPeriod = 500 };

    /// <summary>Streams one caller may hold open at once.</summary>
    [Range(1, 100_000)]
    public int StreamsPerCaller { get; set; } = 300;

    /// <summary>Streams open to anyone without a token (health Watch, reflection) one network address may hold.</summary>
    [Range(1, 100_000)]
    public int AnonymousStreamsPerAddress { get; set; } = 20;
}
