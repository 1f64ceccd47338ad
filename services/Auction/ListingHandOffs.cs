using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.HandOffs;

namespace Remarketing.Auction;

/// <summary>
/// The calls a listing of a return case owes: to Quote when it opens (a step of the case) and when
/// it ends (the result: the sale price is the realized value); to Transport when it ends (a buyer
/// pickup against the proof of sale, or a transporter pickup for a vehicle that did not sell).
/// A listing without a case (listed by hand, outside the lease-end process) owes nothing.
/// </summary>
public sealed class ListingHandOffs(Outbox outbox, IOptions<AuctionOptions> options)
{
    public Outbox Outbox => outbox;

    public IReadOnlyList<HandOff> Listed(ListingRecord listing) => listing.CaseId.Length == 0 ? [] :
    [
        HandOff.To(QuoteService.Descriptor.FindMethodByName(nameof(QuoteService.QuoteServiceClient.RecordCaseEvent)), new RecordCaseEventRequest
        {
            RequestId = $"auction/listing/{listing.ListingId}/listed",
            CaseId = listing.CaseId,
            Step = CaseStep.Listed,
            At = Timestamp.FromDateTimeOffset(listing.OpensAt),
            Reference = listing.ListingId,
            Detail = $"on SmartAuction until {listing.EndsAt:yyyy-MM-dd HH:mm} UTC (a bid in the last minutes extends it)",
        }, listing.Journey),
    ];

    public IReadOnlyList<HandOff> Ended(ListingRecord listing)
    {
        if (listing.CaseId.Length == 0 || listing.ClosedAt is not { } closedAt)
            return [];
        var sold = listing.Status == ListingStatus.Sold;
        var vehicle = new Vehicle { Vin = listing.Vin, ModelYear = listing.ModelYear, Make = listing.Make, Model = listing.Model, Trim = listing.Trim };
        return
        [
            HandOff.To(TransportService.Descriptor.FindMethodByName(nameof(TransportService.TransportServiceClient.CreatePickup)), new CreatePickupRequest
            {
                RequestId = $"auction/listing/{listing.ListingId}/pickup",
                Kind = sold ? PickupKind.Buyer : PickupKind.Transporter,
                CaseId = listing.CaseId,
                ListingId = listing.ListingId,
                Vehicle = vehicle,
                GroundingDealerId = listing.GroundingDealerId,
                BuyerDealerId = sold ? listing.BuyerDealerId : "",
                ProofOfSaleId = sold ? listing.ProofOfSaleId : "",
                Destination = sold ? "" : options.Value.UnsoldDestination,
            }, listing.Journey),
            HandOff.To(QuoteService.Descriptor.FindMethodByName(nameof(QuoteService.QuoteServiceClient.RecordAuctionResult)), new RecordAuctionResultRequest
            {
                RequestId = $"auction/listing/{listing.ListingId}/result",
                CaseId = listing.CaseId,
                ListingId = listing.ListingId,
                Sold = sold,
                SalePriceCents = sold ? listing.SalePriceCents : 0,
                ClosedAt = Timestamp.FromDateTimeOffset(closedAt),
            }, listing.Journey),
        ];
    }
}
