using Google.Protobuf.WellKnownTypes;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Security;
using BidRejection = Remarketing.Auction.Engine.BidRejection;
using ProtoBidRejection = Remarketing.Contracts.Auction.V1.BidRejection;

namespace Remarketing.Auction;

/// <summary>
/// What each caller may see of a listing: bidders appear by alias; the floor only to the
/// remarketing center and services; a proxy maximum only to its owner; the buyer and its proof
/// of sale only to the buyer, the remarketing center and services.
/// </summary>
public static class ListingViews
{
    public static string Alias(int aliasNumber) => aliasNumber > 0 ? $"Bidder {aliasNumber}" : "";

    public static Listing ToProto(ListingRecord listing, Caller caller, long callerMaximumCents, IncrementTable increments)
    {
        var view = new Listing
        {
            ListingId = listing.ListingId,
            Vin = listing.Vin,
            Vehicle = new Vehicle { Vin = listing.Vin, ModelYear = listing.ModelYear, Make = listing.Make, Model = listing.Model, Trim = listing.Trim },
            OdometerMiles = listing.OdometerMiles,
            ConditionGradeTenths = listing.ConditionGradeTenths,
            GroundingDealerId = listing.GroundingDealerId,
            CaseId = listing.CaseId,
            ConditionReportId = listing.ConditionReportId,
            State = ToProto(listing.Status),
            OpensAt = Timestamp.FromDateTimeOffset(listing.OpensAt),
            EndsAt = Timestamp.FromDateTimeOffset(listing.EndsAt),
            OpeningPriceCents = listing.OpeningPriceCents,
            CurrentPriceCents = listing.CurrentPriceCents,
            MinimumNextBidCents = listing.Status == ListingStatus.Live ? listing.MinimumNextBidCents(increments) : 0,
            BuyNowPriceCents = listing.BuyNowPriceCents,
            FloorMet = listing.FloorMet,
            BidCount = listing.BidCount,
            HighBidderAlias = Alias(listing.LeaderAlias),
            CallerIsHighBidder = listing.HasBids && ListingAccess.IsBuyer(caller, listing.LeaderDealerId),
            CallerMaxAmountCents = callerMaximumCents,
            LastSequence = listing.LastSequence,
            FloorPriceCents = ListingAccess.SeesFloor(caller) ? listing.FloorPriceCents : 0,
        };
        if (listing.Status != ListingStatus.Live)
        {
            var seesBuyer = ListingAccess.SeesBuyer(caller, listing.BuyerDealerId);
            view.Outcome = new ListingOutcome
            {
                State = view.State,
                ClosedAt = listing.ClosedAt is { } closedAt ? Timestamp.FromDateTimeOffset(closedAt) : null,
                SalePriceCents = listing.SalePriceCents,
                BuyerDealerId = seesBuyer ? listing.BuyerDealerId : "",
                ProofOfSaleId = seesBuyer ? listing.ProofOfSaleId : "",
                Reason = listing.Reason,
            };
        }

        return view;
    }

    public static PlaceBidResponse ToProto(BidAnswer answer, string bidId) => new()
    {
        BidId = bidId,
        Accepted = answer.Accepted,
        Rejection = answer.Rejection switch
        {
            BidRejection.None => ProtoBidRejection.Unspecified,
            BidRejection.BelowMinimum => ProtoBidRejection.BelowMinimum,
            BidRejection.ListingClosed => ProtoBidRejection.ListingClosed,
            BidRejection.MaximumLowered => ProtoBidRejection.MaximumLowered,
            BidRejection.MaximumBelowAmount => ProtoBidRejection.MaximumBelowAmount,
            BidRejection.AlreadyLeading => ProtoBidRejection.AlreadyLeading,
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer.Rejection, null),
        },
        Message = answer.Message,
        CurrentPriceCents = answer.CurrentPriceCents,
        MinimumNextBidCents = answer.MinimumNextBidCents,
        CallerIsHighBidder = answer.CallerLeads,
        Sequence = answer.Sequence,
        EndsAt = Timestamp.FromDateTimeOffset(answer.EndsAt),
        FloorMet = answer.FloorMet,
        CallerMaxAmountCents = answer.CallerMaximumCents,
    };

    public static ListingState ToProto(ListingStatus status) =>
        status switch
        {
            ListingStatus.Live => ListingState.Live,
            ListingStatus.Sold => ListingState.Sold,
            ListingStatus.Unsold => ListingState.Unsold,
            ListingStatus.Withdrawn => ListingState.Withdrawn,
            _ => ListingState.Unspecified,
        };
}
