using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Remarketing.Quote.Tests;

/// <summary>
/// The Quote service class called in process as its gRPC face is called: requests and responses as
/// the contract has them, the caller as its token would name it. A refusal is the domain's
/// exception (no server turns it into a status here).
/// </summary>
public sealed class QuoteCalls(QuoteGrpcService service)
{
    public Task<LeaseAccount> CreateAccountAsync(Caller caller, CreateLeaseAccountRequest request) => service.CreateLeaseAccount(request, As(caller));

    public Task<LeaseAccount> GetAccountAsync(Caller caller, GetLeaseAccountRequest request) => service.GetLeaseAccount(request, As(caller));

    public Task<ReturnCase> NotifyReturnAsync(Caller caller, NotifyReturnRequest request) => service.NotifyReturn(request, As(caller));

    public Task<ReturnCase> RecordOdometerAsync(Caller caller, RecordOdometerRequest request) => service.RecordOdometer(request, As(caller));

    public Task<ReturnCase> GetReturnCaseAsync(Caller caller, string caseId) => service.GetReturnCase(new GetReturnCaseRequest { CaseId = caseId }, As(caller));

    public Task<Contracts.Quote.V1.Quote> GetQuoteAsync(Caller caller, GetQuoteRequest request) => service.GetQuote(request, As(caller));

    public Task<EarlyTerminationOptions> CompareEarlyTerminationOptionsAsync(Caller caller, CompareEarlyTerminationOptionsRequest request) =>
        service.CompareEarlyTerminationOptions(request, As(caller));

    public Task<ReturnCase> CompleteDealerPurchaseAsync(Caller caller, CompleteDealerPurchaseRequest request) => service.CompleteDealerPurchase(request, As(caller));

    public Task<LeaseAccount> CompleteLesseeBuyoutAsync(Caller caller, CompleteLesseeBuyoutRequest request) => service.CompleteLesseeBuyout(request, As(caller));

    public Task<LeaseAccount> RecordTotalLossAsync(Caller caller, RecordTotalLossRequest request) => service.RecordTotalLoss(request, As(caller));

    public Task<FranchisedDealer> RegisterDealerAsync(Caller caller, RegisterDealerRequest request) => service.RegisterDealer(request, As(caller));

    public Task<FranchisedDealer> GetDealerAsync(Caller caller, string dealerId) => service.GetDealer(new GetDealerRequest { DealerId = dealerId }, As(caller));

    public Task<LeaseExtension> ExtendLeaseAsync(Caller caller, ExtendLeaseRequest request) => service.ExtendLease(request, As(caller));

    public Task<ReturnCase> RecordInspectionResultAsync(Caller caller, RecordInspectionResultRequest request) => service.RecordInspectionResult(request, As(caller));

    public Task<ReturnCase> RecordAuctionResultAsync(Caller caller, RecordAuctionResultRequest request) => service.RecordAuctionResult(request, As(caller));

    public Task<CaseEvent> RecordCaseEventAsync(Caller caller, RecordCaseEventRequest request) => service.RecordCaseEvent(request, As(caller));

    public Task<ReturnCase> OpenListingAsync(Caller caller, OpenListingRequest request) => service.OpenListing(request, As(caller));

    public Task<CaseStatus> GetCaseStatusAsync(string caseId) => service.GetCaseStatus(new GetCaseStatusRequest { CaseId = caseId }, As(TestLeaseEnd.Center));

    public Task<Settlement> GetSettlementAsync(string caseId) => service.GetSettlement(new GetSettlementRequest { CaseId = caseId }, As(TestLeaseEnd.Center));

    public Task<ListLettersResponse> ListLettersAsync(string accountId) => service.ListLetters(new ListLettersRequest { AccountId = accountId }, As(TestLeaseEnd.Center));

    public RetailFinancingEligibility CheckRetailFinancing(CheckRetailFinancingRequest request) =>
        service.CheckRetailFinancing(request, As(TestLeaseEnd.Center)).GetAwaiter().GetResult();

    private static TestServerCallContext As(Caller caller) => new TestServerCallContext(
        "/remarketing.quote.v1.QuoteService",
        new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.Subject, caller.Subject), new Claim(CallerClaims.Role, caller.Role)], "test")),
        });
}
