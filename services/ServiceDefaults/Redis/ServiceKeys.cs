namespace Remarketing.ServiceDefaults.Redis;

/// <summary>
/// Where a service keeps the keys its transactions write together: under its prefix, with the
/// service's name as the hash tag ("quote:{quote}:account:A-1"), so every transaction and script
/// of the service touches one slot and runs on Redis Cluster as on one Redis. The Auction
/// engine's listings are the exception: each listing has a tag of its own (AuctionKeys), since
/// bidding is where the load is; a service's documents change a few times per vehicle.
/// </summary>
public static class ServiceKeys
{
    /// <summary>"quote:{quote}:": the start of every key of <paramref name="service"/> kept in its one slot.</summary>
    public static string Prefix(string service) => $"{service}:{{{service}}}:";
}
