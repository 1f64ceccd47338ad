using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Remarketing.Quote.Tests;

/// <summary>
/// The Quote service class called in process as its gRPC face is called: requests and responses as
/// the contract has them, the caller as its token would name it, each answer cut to the caller's
/// view. A refusal is the domain's exception (no server turns it into a status here).
/// </summary>
public sealed class QuoteCalls(QuoteGrpcService service)
{
    public Task<LeaseAccount> CreateAccountAsync(Caller caller, CreateLeaseAccountRequest request) => Call(caller, request, service.CreateLeaseAccount);

    public Task<LeaseAccount> GetAccountAsync(Caller caller, GetLeaseAccountRequest request) => Call(caller, request, service.GetLeaseAccount);

    public Task<ReturnCase> NotifyReturnAsync(Caller caller, NotifyReturnRequest request) => Call(caller, request, service.NotifyReturn);

    public Task<ReturnCase> RecordOdometerAsync(Caller caller, RecordOdometerRequest request) => Call(caller, request, service.RecordOdometer);

    public Task<ReturnCase> GetReturnCaseAsync(Caller caller, string caseId) => Call(caller, new GetReturnCaseRequest { CaseId = caseId }, service.GetReturnCase);

    public Task<Contracts.Quote.V1.Quote> GetQuoteAsync(Caller caller, GetQuoteRequest request) => Call(caller, request, service.GetQuote);

    public Task<EarlyTerminationOptions> CompareEarlyTerminationOptionsAsync(Caller caller, CompareEarlyTerminationOptionsRequest request) =>
        Call(caller, request, service.CompareEarlyTerminationOptions);

    public Task<ReturnCase> CompleteDealerPurchaseAsync(Caller caller, CompleteDealerPurchaseRequest request) => Call(caller, request, service.CompleteDealerPurchase);

    public Task<LeaseAccount> CompleteLesseeBuyoutAsync(Caller caller, CompleteLesseeBuyoutRequest request) => Call(caller, request, service.CompleteLesseeBuyout);

    public Task<LeaseAccount> RecordTotalLossAsync(Caller caller, RecordTotalLossRequest request) => Call(caller, request, service.RecordTotalLoss);

    public Task<FranchisedDealer> RegisterDealerAsync(Caller caller, RegisterDealerRequest request) => Call(caller, request, service.RegisterDealer);

    public Task<FranchisedDealer> GetDealerAsync(Caller caller, string dealerId) => Call(caller, new GetDealerRequest { DealerId = dealerId }, service.GetDealer);

    public Task<LeaseExtension> ExtendLeaseAsync(Caller caller, ExtendLeaseRequest request) => Call(caller, request, service.ExtendLease);

    public Task<ReturnCase> RecordInspectionResultAsync(Caller caller, RecordInspectionResultRequest request) => Call(caller, request, service.RecordInspectionResult);

    public Task<ReturnCase> RecordAuctionResultAsync(Caller caller, RecordAuctionResultRequest request) => Call(caller, request, service.RecordAuctionResult);

    public Task<CaseEvent> RecordCaseEventAsync(Caller caller, RecordCaseEventRequest request) => Call(caller, request, service.RecordCaseEvent);

    public Task<ReturnCase> OpenListingAsync(Caller caller, OpenListingRequest request) => Call(caller, request, service.OpenListing);

    public Task<CaseStatus> GetCaseStatusAsync(string caseId) => Call(TestLeaseEnd.Center, new GetCaseStatusRequest { CaseId = caseId }, service.GetCaseStatus);

    public Task<Settlement> GetSettlementAsync(string caseId) => Call(TestLeaseEnd.Center, new GetSettlementRequest { CaseId = caseId }, service.GetSettlement);

    public Task<ListLettersResponse> ListLettersAsync(string accountId) => Call(TestLeaseEnd.Center, new ListLettersRequest { AccountId = accountId }, service.ListLetters);

    public RetailFinancingEligibility CheckRetailFinancing(CheckRetailFinancingRequest request) =>
        Call(TestLeaseEnd.Center, request, service.CheckRetailFinancing).GetAwaiter().GetResult();

    /// <summary>Through the interceptor that cuts answers to the caller's view, as the server runs every call.</summary>
    private static Task<TResponse> Call<TRequest, TResponse>(Caller caller, TRequest request, UnaryServerMethod<TRequest, TResponse> method)
        where TRequest : class where TResponse : class =>
        new CallerViewInterceptor().UnaryServerHandler(request, As(caller), method);

    private static TestServerCallContext As(Caller caller) => new TestServerCallContext(
        "/remarketing.quote.v1.QuoteService",
        new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.Subject, caller.Subject), new Claim(CallerClaims.Role, caller.Role)], "test")),
        });
}
