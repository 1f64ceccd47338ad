using System.Globalization;
using Remarketing.ServiceDefaults.Storage;
using StackExchange.Redis;

namespace Remarketing.Auction.Engine;

/// <summary>Pages of listings read from one of the engine's indexes, newest first.</summary>
public static class ListingPages
{
    /// <summary>The listings of <paramref name="index"/> that <paramref name="keep"/> keeps; the page token is a position in the index, and listings filtered out still move it on.</summary>
    public static async Task<(IReadOnlyList<ListingRecord> Listings, string NextPageToken)> PageAsync(
        IDatabase redis, string index, Func<ListingRecord, bool> keep, int pageSize, string pageToken)
    {
        var size = Paging.Size(pageSize);
        long position = Paging.Offset(pageToken);
        var listings = new List<ListingRecord>(size);
        while (listings.Count < size)
        {
            var ids = await redis.SortedSetRangeByRankAsync(index, position, position + (size - listings.Count) - 1, Order.Descending);
            if (ids.Length == 0)
                break;
            position += ids.Length;
            var records = await Task.WhenAll(ids.Select(id => redis.HashGetAllAsync(AuctionKeys.State((string)id!))));
            listings.AddRange(records.Select(ListingRecord.From).OfType<ListingRecord>().Where(keep));
        }

        var next = await redis.SortedSetLengthAsync(index) > position ? position.ToString(CultureInfo.InvariantCulture) : "";
        return (listings, next);
    }
}
