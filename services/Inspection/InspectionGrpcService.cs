using Grpc.Core;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.Security;
using static Remarketing.Inspection.ProtoViews;

namespace Remarketing.Inspection;

/// <summary>The Inspection service's gRPC face: the caller from the token, the request into plain values, <see cref="InspectionDesk"/>'s answer back into a response.</summary>
public sealed class InspectionGrpcService(InspectionDesk desk, TimeProvider clock, ReturnCaseReferences cases) : InspectionService.InspectionServiceBase
{
    public override async Task<InspectionOrder> ScheduleInspection(ScheduleInspectionRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        await cases.RequireAsync(caller, request.CaseId, request.Vehicle?.Vin ?? "", "an inspection order", context.CancellationToken);
        return ToProto(await desk.ScheduleAsync(caller, ToDomain(request)), clock.GetUtcNow());
    }

    public override async Task<InspectionOrder> GetInspectionOrder(GetInspectionOrderRequest request, ServerCallContext context) =>
        ToProto(await desk.GetOrderAsync(context.GetCaller(), request.OrderId), clock.GetUtcNow());

    public override async Task<ListInspectionOrdersResponse> ListInspectionOrders(ListInspectionOrdersRequest request, ServerCallContext context) =>
        ToListResponse(await desk.ListOrdersAsync(context.GetCaller(), ToDomain(request.State), request.Page?.PageSize ?? 0, request.Page?.PageToken ?? ""), clock.GetUtcNow());

    public override async Task<InspectionOrder> AcceptInspection(AcceptInspectionRequest request, ServerCallContext context) =>
        ToProto(await desk.AcceptAsync(context.GetCaller(), request.RequestId, request.OrderId), clock.GetUtcNow());

    public override async Task<ConditionReport> SubmitConditionReport(SubmitConditionReportRequest request, ServerCallContext context) =>
        ToProto(await desk.SubmitReportAsync(context.GetCaller(), ToDomain(request)));

    public override async Task<ConditionReport> GetConditionReport(GetConditionReportRequest request, ServerCallContext context) =>
        ToProto(await desk.GetReportAsync(context.GetCaller(), request.ConditionReportId));

    public override async Task<ListPendingResponse> ListPending(ListPendingRequest request, ServerCallContext context) =>
        ToPendingResponse(await desk.ListPendingAsync(request.Page?.PageSize ?? 0, request.Page?.PageToken ?? ""), clock.GetUtcNow());
}
