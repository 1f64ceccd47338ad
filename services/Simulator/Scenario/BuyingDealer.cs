namespace Remarketing.Simulator.Scenario;

/// <summary>How a buying dealer bids (docs/simulation.md).</summary>
public enum BidderStyle
{
    /// <summary>Bids the minimum soon after a listing opens, and again whenever outbid, up to its valuation.</summary>
    EarlyBidder,
    /// <summary>Leaves one proxy maximum (its valuation, secret) partway through the window.</summary>
    ProxyBidder,
    /// <summary>Waits for the last minutes and bids then, again after each soft-close extension while it is outbid.</summary>
    LastMinuteBidder,
    /// <summary>Takes the buy-now price when its valuation reaches it; bids never.</summary>
    BuyNowTaker,
    /// <summary>Bids low, only while the floor is not met; stops once it is.</summary>
    BargainHunter,
}

/// <summary>A buying dealer as the scenario makes it: who it is, how it bids, what it likes.</summary>
/// <param name="AppetiteBasisPoints">How much above or below the market guide it values what it likes: 10000 = the guide.</param>
/// <param name="Seed">Its own seed: every decision it makes draws from generators derived from this and what it sees.</param>
public sealed record BuyingDealer(string DealerId, BidderStyle Style, int AppetiteBasisPoints, IReadOnlySet<string> Makes, int Seed);
