using Google.Protobuf;
using Grpc.Core;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Limits;

/// <summary>Refuses a request message (or a client stream's message) outside <see cref="MessageLimits"/> with InvalidArgument before the handler sees it.</summary>
public sealed class MessageLimitsInterceptor : RequestCheckInterceptor
{
    protected override void CheckMessage(object? message)
    {
        if (message is IMessage request && MessageLimits.Problem(request) is { } problem)
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
    }
}
