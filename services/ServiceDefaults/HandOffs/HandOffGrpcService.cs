using Grpc.Core;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>common.v1.HandOffService for this service's own outbox: its failed hand-offs, listed, replayed or discarded.</summary>
public sealed class HandOffGrpcService(FailedHandOffs handOffs) : HandOffService.HandOffServiceBase
{
    public override Task<ListFailedHandOffsResponse> ListFailedHandOffs(ListFailedHandOffsRequest request, ServerCallContext context) =>
        handOffs.ListAsync(request.Page);

    public override Task<FailedHandOff> ReplayHandOff(ReplayHandOffRequest request, ServerCallContext context) =>
        handOffs.ReplayAsync(context.GetCaller(), request);

    public override Task<FailedHandOff> DiscardHandOff(DiscardHandOffRequest request, ServerCallContext context) =>
        handOffs.DiscardAsync(context.GetCaller(), request);
}
