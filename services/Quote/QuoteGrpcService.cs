using Grpc.Core;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>The Quote service's gRPC face: the caller from the token, the rest to <see cref="LeaseEndDesk"/>.</summary>
public sealed class QuoteGrpcService(LeaseEndDesk desk) : QuoteService.QuoteServiceBase
{
    public override Task<LeaseAccount> CreateLeaseAccount(CreateLeaseAccountRequest request, ServerCallContext context) =>
        desk.CreateAccountAsync(context.GetCaller(), request);

    public override Task<LeaseAccount> GetLeaseAccount(GetLeaseAccountRequest request, ServerCallContext context) =>
        desk.GetAccountAsync(context.GetCaller(), request);

    public override Task<ReturnCase> NotifyReturn(NotifyReturnRequest request, ServerCallContext context) =>
        desk.NotifyReturnAsync(context.GetCaller(), request);

    public override Task<ReturnCase> RecordOdometer(RecordOdometerRequest request, ServerCallContext context) =>
        desk.RecordOdometerAsync(context.GetCaller(), request);

    public override Task<ReturnCase> GetReturnCase(GetReturnCaseRequest request, ServerCallContext context) =>
        desk.GetReturnCaseAsync(context.GetCaller(), request.CaseId);

    public override Task<Contracts.Quote.V1.Quote> GetQuote(GetQuoteRequest request, ServerCallContext context) =>
        desk.GetQuoteAsync(context.GetCaller(), request);

    public override Task<EarlyTerminationOptions> CompareEarlyTerminationOptions(CompareEarlyTerminationOptionsRequest request, ServerCallContext context) =>
        desk.CompareEarlyTerminationOptionsAsync(context.GetCaller(), request);

    public override Task<ReturnCase> CompleteDealerPurchase(CompleteDealerPurchaseRequest request, ServerCallContext context) =>
        desk.CompleteDealerPurchaseAsync(context.GetCaller(), request);

    public override Task<LeaseExtension> ExtendLease(ExtendLeaseRequest request, ServerCallContext context) =>
        desk.ExtendLeaseAsync(context.GetCaller(), request);

    public override Task<ReturnCase> RecordInspectionResult(RecordInspectionResultRequest request, ServerCallContext context) =>
        desk.RecordInspectionResultAsync(context.GetCaller(), request);

    public override Task<ReturnCase> RecordAuctionResult(RecordAuctionResultRequest request, ServerCallContext context) =>
        desk.RecordAuctionResultAsync(context.GetCaller(), request);

    public override Task<Settlement> GetSettlement(GetSettlementRequest request, ServerCallContext context) =>
        desk.GetSettlementAsync(request.CaseId);

    public override Task<ListLettersResponse> ListLetters(ListLettersRequest request, ServerCallContext context) =>
        desk.ListLettersAsync(request.AccountId);

    public override Task<RetailFinancingEligibility> CheckRetailFinancing(CheckRetailFinancingRequest request, ServerCallContext context) =>
        Task.FromResult(desk.CheckRetailFinancing(request));
}
