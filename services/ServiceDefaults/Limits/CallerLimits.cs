using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Limits;

/// <summary>
/// What one caller (role and subject) may do per process: a token bucket for writes, one for reads,
/// and a cap on open streams. A refusal is ResourceExhausted and names the limit.
/// </summary>
public sealed class CallerLimits : IDisposable
{
    private readonly CallerLimitsOptions _options;
    private readonly PartitionedRateLimiter<string> _writes;
    private readonly PartitionedRateLimiter<string> _reads;
    private readonly PartitionedRateLimiter<string> _streams;
    private readonly PartitionedRateLimiter<string> _anonymousStreams;

    public CallerLimits(IOptions<CallerLimitsOptions> options)
    {
        _options = options.Value;
        _writes = Buckets(_options.Writes);
        _reads = Buckets(_options.Reads);
        _streams = Permits(_options.StreamsPerCaller);
        _anonymousStreams = Permits(_options.AnonymousStreamsPerAddress);
    }

    /// <summary>Someone without a token, known only by its network address (calls open to anyone: health, reflection).</summary>
    public static Caller Anonymous(System.Net.IPAddress? address) => new(address?.ToString() ?? "unknown", "anonymous");

    /// <summary>Null if <paramref name="caller"/> may make one more state-changing call now; otherwise the refusal.</summary>
    public Status? TryWrite(Caller caller) => Take(_writes, caller, _options.Writes,
        "state-changing calls", "slow down and retry with the same request id");

    /// <summary>Null if <paramref name="caller"/> may make one more read (or open a stream) now; otherwise the refusal.</summary>
    public Status? TryRead(Caller caller) => Take(_reads, caller, _options.Reads, "reads", "slow down");

    /// <summary>A permit for one open stream, to dispose when the stream ends; null with the refusal when the caller holds the most it may.</summary>
    public (IDisposable? Permit, Status? Refusal) TryOpenStream(Caller caller)
    {
        var anonymous = caller.Role == Anonymous(null).Role;
        var lease = (anonymous ? _anonymousStreams : _streams).AttemptAcquire(CompositeKey.Of(caller));
        if (lease.IsAcquired)
            return (lease, null);
        lease.Dispose();
        return (null, new Status(StatusCode.ResourceExhausted, anonymous
            ? $"stream limit: at most {_options.AnonymousStreamsPerAddress} open streams without a token per network address; close one before opening another"
            : $"stream limit: at most {_options.StreamsPerCaller} open streams per caller; close one before opening another"));
    }

    public void Dispose()
    {
        _writes.Dispose();
        _reads.Dispose();
        _streams.Dispose();
        _anonymousStreams.Dispose();
    }

    private static Status? Take(PartitionedRateLimiter<string> limiter, Caller caller, TokenBucketSettings bucket, string what, string advice)
    {
        using var lease = limiter.AttemptAcquire(CompositeKey.Of(caller));
        return lease.IsAcquired ? null : new Status(StatusCode.ResourceExhausted, $"rate limit: {bucket.Describe(what)}; {advice}");
    }

    private static PartitionedRateLimiter<string> Permits(int limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key,
            _ => new ConcurrencyLimiterOptions { PermitLimit = limit, QueueLimit = 0 }));

    private static PartitionedRateLimiter<string> Buckets(TokenBucketSettings bucket) =>
        PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.TokenLimit,
            TokensPerPeriod = bucket.TokensPerPeriod,
            ReplenishmentPeriod = bucket.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
