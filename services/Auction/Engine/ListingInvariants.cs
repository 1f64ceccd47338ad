using Remarketing.ServiceDefaults.Invariants;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

/// <summary>
/// A listing's state agrees with its indexes and its vehicle's claim. A live listing is in the
/// live and closing indexes and holds its VIN's claim (all three are written before the listing
/// is and released only after it ends); an ended one is in the closed index, out of the live one,
/// and holds no claim, unless its close is still being finished (it is then still in the closing
/// index, where the closer finishes it). Anything else means a write was lost or a step was
/// skipped, and the listing could be sold twice or never close.
/// </summary>
public sealed class ListingInvariants(IConnectionMultiplexer redis) : IInvariantCheck
{
    /// <summary>Ended listings looked at on each run: the most recently closed.</summary>
    public const int RecentlyClosed = 1000;

    public string Name => "listings";

    /// <summary>Every listing the indexes name: the live ones, the ones to close, the most recently closed.</summary>
    public async Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var named = await Task.WhenAll(
            database.SortedSetRangeByRankAsync(AuctionKeys.Live),
            database.SortedSetRangeByRankAsync(AuctionKeys.Closing),
            database.SortedSetRangeByRankAsync(AuctionKeys.Closed, 0, RecentlyClosed - 1, Order.Descending));
        return await CheckAsync(named.SelectMany(ids => ids).Select(id => (string)id!).Distinct(StringComparer.Ordinal));
    }

    public Task<IReadOnlyList<Breach>> Recheck(IReadOnlyList<Breach> suspects, CancellationToken cancellationToken) =>
        CheckAsync(suspects.Select(breach => ListingIdOf(breach.Subject)).Distinct(StringComparer.Ordinal));

    /// <summary>The breaches of these listings (an operator's tool passes every listing it finds).</summary>
    public async Task<IReadOnlyList<Breach>> CheckAsync(IEnumerable<string> listingIds)
    {
        var breaches = new List<Breach>();
        foreach (var chunk in listingIds.Chunk(200))
        {
            var readings = await Task.WhenAll(chunk.Select(ReadAsync));
            breaches.AddRange(readings.SelectMany(reading => reading.Breaches()));
        }
        return breaches;
    }

    /// <summary>Whether a live listing may be acted on: in the closing index and holding its VIN's claim. Null if so; otherwise why not.</summary>
    public async Task<string?> WhyNotActOnAsync(string listingId)
    {
        var reading = await ReadAsync(listingId);
        return reading.Status == Status.Live ? reading.Breaches().FirstOrDefault()?.Problem : null;
    }

    public static string SubjectOf(string listingId) => $"listing {listingId}";

    private static string ListingIdOf(string subject) => subject["listing ".Length..];

    private async Task<Reading> ReadAsync(string listingId)
    {
        var database = redis.GetDatabase();
        var state = database.HashGetAsync(AuctionKeys.State(listingId), [Field.Status, Field.Vin]);
        var live = database.SortedSetScoreAsync(AuctionKeys.Live, listingId);
        var closing = database.SortedSetScoreAsync(AuctionKeys.Closing, listingId);
        var closed = database.SortedSetScoreAsync(AuctionKeys.Closed, listingId);
        var fields = await state;
        var vin = (string?)fields[1];
        var claim = vin is null ? null : (string?)await database.StringGetAsync(AuctionKeys.VehicleClaim(vin));
        return new Reading(listingId, (string?)fields[0], vin, (await live).HasValue, (await closing).HasValue, (await closed).HasValue,
            VehicleClaims.HolderOf(claim));
    }

    private sealed record Reading(string ListingId, string? Status, string? Vin, bool InLive, bool InClosing, bool InClosed, string ClaimHolder)
    {
        public IEnumerable<Breach> Breaches()
        {
            var subject = SubjectOf(ListingId);
            if (Status is null)
            {
                // The closing index may name a listing whose create died before its state was written: the closer drops it.
                if (InLive)
                    yield return new(subject, "in the live index but it does not exist");
                if (InClosed)
                    yield return new(subject, "in the closed index but it does not exist");
                yield break;
            }

            if (Status == ListingSchema.Status.Live)
            {
                if (!InClosing)
                    yield return new(subject, "live but not in the closing index: it would never close");
                if (!InLive)
                    yield return new(subject, "live but not in the live index: the market does not show it");
                if (InClosed)
                    yield return new(subject, "live but in the closed index");
                if (ClaimHolder != ListingId)
                {
                    yield return new(subject, ClaimHolder.Length == 0
                        ? $"live but VIN {Vin} is claimed by no listing: it could be listed, and sold, again"
                        : $"live but VIN {Vin} is claimed by listing {ClaimHolder}: the same car could be sold twice");
                }
                yield break;
            }

            if (InClosing)
                yield break;
            if (InLive)
                yield return new(subject, $"{Status} but still in the live index");
            if (!InClosed)
                yield return new(subject, $"{Status} but not in the closed index");
            if (ClaimHolder == ListingId)
                yield return new(subject, $"{Status} but still holds VIN {Vin}'s claim: the car cannot be listed again");
        }
    }
}
