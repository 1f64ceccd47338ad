using System.Globalization;
using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Quote.Domain;

/// <summary>
/// One vehicle, one disposal: bought by the dealer, sold on SmartAuction, or sold elsewhere (the
/// physical auction), never two. Quote decides: what may still happen to a case, and, when it
/// may not, which record already disposed of the car, in words a person can act on.
/// </summary>
public static class Disposal
{
    /// <summary>The SmartAuction listing the case is on whose result has not come yet; null if none.</summary>
    public static OpenListingRecord? OpenListing(this ReturnCaseRecord returnCase) =>
        returnCase.SmartAuctionListing is { } listing && returnCase.AuctionResult?.ListingId != listing.ListingId
            && returnCase.EarlierAuctionResults.All(result => result.ListingId != listing.ListingId)
            ? listing : null;

    /// <summary>Why the case may not go on SmartAuction listing <paramref name="listingId"/>; null if it may.</summary>
    public static string? WhyNotListed(this ReturnCaseRecord returnCase, string listingId) => returnCase.State switch
    {
        _ when returnCase.SmartAuctionListing is { } other && other.ListingId != listingId =>
            $"case {returnCase.CaseId} already went on SmartAuction listing {other.ListingId}, opened {Day(other.OpenedAt)}: a vehicle goes on one listing",
        CaseState.Inspected => null,
        CaseState.HeldForDealerPurchase => $"case {returnCase.CaseId} is held for the dealer's purchase until {Day(returnCase.HoldUntil)}: it is listed only if the hold lapses",
        CaseState.Unsold => $"case {returnCase.CaseId} did not sell on {Where(returnCase, returnCase.AuctionResult?.ListingId ?? "")}: it goes to the physical auction",
        CaseState.InRemarketing => $"case {returnCase.CaseId} has no inspection Quote has taken: a car is listed only once its inspection result is accepted " +
            "(one refused as wrong, such as an odometer below the signed statement, holds the car until the remarketing center corrects it and replays the result)",
        _ => $"case {returnCase.CaseId} {AlreadyDisposed(returnCase)}",
    };

    /// <summary>Why an auction result for <paramref name="listingId"/> may not be recorded; null if it may.</summary>
    /// <param name="fromTheListing">Whether it is the Auction service's result of the case's own SmartAuction listing.</param>
    public static string? WhyNoResult(this ReturnCaseRecord returnCase, string listingId, bool fromTheListing) => returnCase.State switch
    {
        CaseState.Inspected or CaseState.Unsold when !fromTheListing && returnCase.OpenListing() is { } open && open.ListingId != listingId =>
            $"case {returnCase.CaseId} is on SmartAuction listing {open.ListingId}, opened {Day(open.OpenedAt)}: a sale elsewhere is recorded only once that " +
            "listing has ended unsold (its result comes from the Auction service); close or withdraw it first",
        CaseState.Inspected or CaseState.Unsold => null,
        CaseState.Sold or CaseState.Settled or CaseState.Purchased => $"case {returnCase.CaseId} {AlreadyDisposed(returnCase)}",
        _ => $"case {returnCase.CaseId} is {returnCase.State}: an auction result comes after the inspection",
    };

    private static string AlreadyDisposed(ReturnCaseRecord returnCase)
    {
        var settled = returnCase.State == CaseState.Settled ? "already settled" : "already disposed of";
        return returnCase switch
        {
            { State: CaseState.Purchased } => $"was already bought by the dealer on {Day(returnCase.PurchasedAt)}",
            { AuctionResult: { Sold: true } sale } => $"{settled} by its sale for {Cents.Format(sale.SalePriceCents)} ({Where(returnCase, sale.ListingId)}) on {Day(sale.ClosedAt)}",
            { AuctionResult: { } result } => $"{settled} after {Where(returnCase, result.ListingId)} ended unsold on {Day(result.ClosedAt)}",
            _ => $"is {returnCase.State}",
        };
    }

    private static string Where(ReturnCaseRecord returnCase, string listingId) =>
        returnCase.SmartAuctionListing?.ListingId == listingId ? $"SmartAuction listing {listingId}" : listingId;

    private static string Day(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(no date)";
}
