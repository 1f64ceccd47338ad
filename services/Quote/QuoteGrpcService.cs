using Grpc.Core;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Security;
using static Remarketing.Quote.ProtoViews;

namespace Remarketing.Quote;

/// <summary>The Quote service's gRPC face: the caller from the token, the request into plain values, <see cref="LeaseEndDesk"/>'s answer back into a response.</summary>
public sealed class QuoteGrpcService(LeaseEndDesk desk, QuoteDesk quotes, CaseJourneyDesk journey, DealerRegistry dealers) : QuoteService.QuoteServiceBase
{
    public override async Task<LeaseAccount> CreateLeaseAccount(CreateLeaseAccountRequest request, ServerCallContext context) =>
        ToProto(await desk.CreateAccountAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<LeaseAccount> GetLeaseAccount(GetLeaseAccountRequest request, ServerCallContext context) =>
        ToProto(await desk.GetAccountAsync(context.GetCaller(), request.AccountId, request.Vin));

    public override async Task<ReturnCase> NotifyReturn(NotifyReturnRequest request, ServerCallContext context) =>
        ToProto(await desk.NotifyReturnAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ReturnCase> RecordOdometer(RecordOdometerRequest request, ServerCallContext context) =>
        ToProto(await desk.RecordOdometerAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ReturnCase> GetReturnCase(GetReturnCaseRequest request, ServerCallContext context) =>
        ToProto(await desk.GetReturnCaseAsync(context.GetCaller(), request.CaseId));

    public override async Task<Contracts.Quote.V1.Quote> GetQuote(GetQuoteRequest request, ServerCallContext context) =>
        ToProto(await quotes.GetQuoteAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<EarlyTerminationOptions> CompareEarlyTerminationOptions(CompareEarlyTerminationOptionsRequest request, ServerCallContext context) =>
        ToProto(await quotes.CompareEarlyTerminationOptionsAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ReturnCase> CompleteDealerPurchase(CompleteDealerPurchaseRequest request, ServerCallContext context) =>
        ToProto(await desk.CompleteDealerPurchaseAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<LeaseExtension> ExtendLease(ExtendLeaseRequest request, ServerCallContext context) =>
        ToProto(await desk.ExtendLeaseAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ReturnCase> RecordInspectionResult(RecordInspectionResultRequest request, ServerCallContext context) =>
        ToProto(await desk.RecordInspectionResultAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ReturnCase> OpenListing(OpenListingRequest request, ServerCallContext context) =>
        ToProto(await desk.OpenListingAsync(context.GetCaller(), new Domain.ListingOpening(request.RequestId, request.CaseId, request.ListingId, request.Vin)));

    public override async Task<ReturnCase> RecordAuctionResult(RecordAuctionResultRequest request, ServerCallContext context) =>
        ToProto(await desk.RecordAuctionResultAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<LeaseAccount> CompleteLesseeBuyout(CompleteLesseeBuyoutRequest request, ServerCallContext context) =>
        ToProto(await desk.CompleteLesseeBuyoutAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<LeaseAccount> RecordTotalLoss(RecordTotalLossRequest request, ServerCallContext context) =>
        ToProto(await desk.RecordTotalLossAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<Settlement> GetSettlement(GetSettlementRequest request, ServerCallContext context) =>
        ToProto(await desk.GetSettlementAsync(request.CaseId));

    public override async Task<ListLettersResponse> ListLetters(ListLettersRequest request, ServerCallContext context) =>
        ToProto(await desk.ListLettersAsync(request.AccountId));

    public override async Task<CaseEvent> RecordCaseEvent(RecordCaseEventRequest request, ServerCallContext context) =>
        ToProto(await journey.RecordAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<CaseStatus> GetCaseStatus(GetCaseStatusRequest request, ServerCallContext context) =>
        ToProto(await journey.StatusAsync(request.CaseId, request.AccountId, request.Vin));

    public override Task<RetailFinancingEligibility> CheckRetailFinancing(CheckRetailFinancingRequest request, ServerCallContext context) =>
        Task.FromResult(ToProto(quotes.CheckRetailFinancing(ToDomain(request))));

    public override async Task<FranchisedDealer> RegisterDealer(RegisterDealerRequest request, ServerCallContext context) =>
        ToProto(await dealers.RegisterAsync(context.GetCaller(), new Domain.DealerRegistration(request.RequestId, request.DealerId, [.. request.Makes])));

    public override async Task<FranchisedDealer> GetDealer(GetDealerRequest request, ServerCallContext context) =>
        ToProto(await dealers.GetAsync(request.DealerId));
}
