namespace Remarketing.Auction.Engine;

/// <param name="Status">What the listing is (closed now or already).</param>
/// <param name="CloseRequest">For an early close already made: who asked, with which request id.</param>
/// <param name="EndsAtMs">Not due yet: its end now (a soft close may have moved it).</param>
public sealed record Closing(CloseOutcome Outcome, ListingStatus? Status, string CloseRequest, long EndsAtMs);
