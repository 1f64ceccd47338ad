using Remarketing.Contracts;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Clients;

/// <summary>
/// Asks Quote, before a record names a return case (a listing, an inspection order, a pickup),
/// whether it holds that case and whether it is that vehicle's. A record naming a case Quote does
/// not know would make every later hand-off about it refused, forever. Services' own hand-offs
/// name cases from their records, which came from Quote through this same door, so only what a
/// person sends is asked about.
/// </summary>
public sealed class ReturnCaseReferences(QuoteService.QuoteServiceClient quote)
{
    /// <param name="what">What would be made, for the refusal: "a listing".</param>
    public async Task RequireAsync(Caller caller, string caseId, string vin, string what, CancellationToken cancellationToken)
    {
        if (caller.Role == RoleNames.Service || string.IsNullOrWhiteSpace(caseId))
            return;
        caseId = caseId.Trim();
        var status = await RemoteRecords.AskAsync(
            deadline => quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = caseId }, deadline: deadline, cancellationToken: cancellationToken).ResponseAsync,
            none: $"Quote holds no return case {caseId}: {what} names only a case Quote knows (GetCaseStatus finds it), or none",
            who: "Quote", what: $"return case {caseId}", cancellationToken);

        if (!string.IsNullOrWhiteSpace(vin) && !string.Equals(status.Vin, vin.Trim(), StringComparison.OrdinalIgnoreCase))
            throw DomainException.FailedPrecondition($"return case {status.CaseId} is VIN {status.Vin}, not {vin.Trim()}: {what} names the case's own vehicle");
    }
}
