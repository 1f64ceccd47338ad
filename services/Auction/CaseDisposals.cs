using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Clients;

namespace Remarketing.Auction;

/// <summary>
/// A vehicle has one disposal, and Quote decides it: before a listing for a return case opens,
/// Quote is asked (OpenListing), and records that the case goes on it. A case that is not
/// inspected, whose inspection Quote refused, that the dealer bought, that sold or settled, or that
/// is on another listing is refused, in Quote's words; a Quote that cannot be asked leaves the
/// listing unopened (Unavailable).
/// </summary>
public sealed class CaseDisposals(QuoteService.QuoteServiceClient quote)
{
    public async Task OpenAsync(string caseId, string listingId, string vin, CancellationToken cancellationToken)
    {
        caseId = caseId.Trim();
        await RemoteRecords.AskAsync(
            deadline => quote.OpenListingAsync(new OpenListingRequest { RequestId = $"auction/listing/{listingId}/open", CaseId = caseId, ListingId = listingId, Vin = vin },
                deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            none: $"Quote holds no return case {caseId}: a listing names only a case Quote knows (GetCaseStatus finds it), or none",
            who: "Quote", what: $"return case {caseId}", cancellationToken);
    }
}
