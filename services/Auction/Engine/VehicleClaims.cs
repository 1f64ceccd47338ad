using System.Globalization;
using Remarketing.ServiceDefaults.Errors;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

/// <summary>
/// One live listing per vehicle, so one car cannot sell twice. The VIN's claim ("&lt;listing id&gt;
/// &lt;real time claimed, ms&gt;") moves to a new listing only from nobody, from a listing that has
/// ended, or from one that still does not exist <see cref="AbandonedClaim"/> after it was claimed
/// (its create died half-way; until then it may still be under way). Each move is a
/// compare-and-set on the one claim key, so it runs on any Redis Cluster slot.
/// </summary>
public sealed class VehicleClaims(IDatabase redis)
{
    /// <summary>How long a claim whose listing never came to exist holds its vehicle (real time: it is about crashed calls).</summary>
    private static readonly TimeSpan AbandonedClaim = TimeSpan.FromSeconds(30);

    /// <summary>The listing a claim's value names ("" for none).</summary>
    public static string HolderOf(string? claim) => claim?.Split(' ')[0] ?? "";

    public async Task ClaimAsync(string vin, string listingId)
    {
        var claim = AuctionKeys.VehicleClaim(vin);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var held = (string?)await redis.StringGetAsync(claim) ?? "";
            var parts = held.Split(' ');
            var holder = parts[0];
            if (holder == listingId)
                return;
            if (holder.Length > 0)
            {
                var otherStatus = (string?)await redis.HashGetAsync(AuctionKeys.State(holder), Field.Status);
                var claimedAt = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
                var stillBeingCreated = otherStatus is null && TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - claimedAt < AbandonedClaim.TotalMilliseconds;
                if (otherStatus == Status.Live || stillBeingCreated)
                {
                    throw DomainException.FailedPrecondition(
                        $"VIN {vin} is on live listing {holder}: a vehicle is listed again only once that listing has ended or been withdrawn");
                }
            }
            var mine = $"{listingId} {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
            if (ScriptResults.Changed(await redis.ScriptEvaluateAsync(AuctionScripts.SwapClaim, [claim], [held, mine])))
                return;
        }
        throw DomainException.ResourceExhausted($"VIN {vin} is being listed by several calls at once: try again with the same request id");
    }

    /// <summary>Lets the vehicle go, if <paramref name="listingId"/> still holds it.</summary>
    public async Task ReleaseAsync(string vin, string listingId)
    {
        var claim = AuctionKeys.VehicleClaim(vin);
        var held = (string?)await redis.StringGetAsync(claim) ?? "";
        if (HolderOf(held) == listingId)
            await redis.ScriptEvaluateAsync(AuctionScripts.SwapClaim, [claim], [held, ""]);
    }
}
