using Remarketing.ServiceDefaults.Clients;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Transport.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Transport;

/// <summary>
/// Asks the Auction service, before a pickup names a SmartAuction listing, whether the listing
/// exists and, for a buyer pickup, whether it was sold to that buyer against that proof of sale:
/// the grounding dealer releases the car against that document. As with cases, services' own
/// hand-offs name listings from their records; only what a person sends is asked about.
/// </summary>
public sealed class ListingReferences(AuctionService.AuctionServiceClient auction)
{
    public async Task RequireAsync(Caller caller, CreatePickupRequest request, CancellationToken cancellationToken)
    {
        if (caller.Role == RoleNames.Service || string.IsNullOrWhiteSpace(request.ListingId))
            return;
        var listingId = request.ListingId.Trim();
        var listing = await RemoteRecords.AskAsync(
            deadline => auction.GetListingAsync(new GetListingRequest { ListingId = listingId }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            none: $"the Auction service holds no listing {listingId}: a pickup names only a listing it knows, or none",
            who: "the Auction service", what: $"listing {listingId}", cancellationToken);

        if (!string.IsNullOrWhiteSpace(request.Vehicle?.Vin) && !string.Equals(listing.Vin, request.Vehicle.Vin.Trim(), StringComparison.OrdinalIgnoreCase))
            throw DomainException.FailedPrecondition($"listing {listingId} is VIN {listing.Vin}, not {request.Vehicle.Vin.Trim()}");
        if (request.Kind != PickupKind.Buyer)
            return;
        if (listing.State != ListingState.Sold || listing.Outcome is not { } result)
            throw DomainException.FailedPrecondition($"listing {listingId} is {listing.State}: a buyer pickup is for a sold listing");
        if (result.BuyerDealerId != request.BuyerDealerId.Trim() || result.ProofOfSaleId != request.ProofOfSaleId.Trim())
            throw DomainException.FailedPrecondition($"listing {listingId} was not sold to dealer {request.BuyerDealerId.Trim()} against proof of sale {request.ProofOfSaleId.Trim()}: the buyer collects only with its own proof");
    }
}
