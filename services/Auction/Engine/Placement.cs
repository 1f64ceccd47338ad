namespace Remarketing.Auction.Engine;

public sealed record Placement(PlacementOutcome Outcome, BidAnswer? Answer);
