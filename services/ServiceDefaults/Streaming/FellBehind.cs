using Grpc.Core;

namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>The statuses that end a stream whose reader fell behind, telling it how to resume.</summary>
public static class FellBehind
{
    /// <summary>For a WatchListing stream, served by the Auction service or by the gateway's relay.</summary>
    public static Status Listing(string listingId) => new(StatusCode.ResourceExhausted,
        $"this stream fell behind listing {listingId}: reconnect with after_sequence set to the last sequence you received");
}
