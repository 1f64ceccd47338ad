using Google.Protobuf;
using Google.Protobuf.Reflection;
using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// A call one service owes another (a case to inspect, a vehicle to list, a pickup to order): the
/// operation and its encoded request, whose request id is <see cref="Id"/>, so the receiver
/// answers a repeat with its first answer.
/// </summary>
/// <param name="Operation">The operation's path, e.g. /remarketing.inspection.v1.InspectionService/ScheduleInspection.</param>
public sealed record HandOff(string Id, string Operation, byte[] Body)
{
    /// <summary>The traceparent of the vehicle's journey (<see cref="HandOffs.Journey"/>); empty: the trace of the call that writes it.</summary>
    public string Journey { get; init; } = "";

    /// <summary>
    /// Hand-offs that wait on this one: written to the outbox, in the same step that removes this
    /// one, only once its receiver has acknowledged it. A hand-off the receiver refuses (set
    /// aside, then replayed after a correction) carries them along, so nothing that depends on a
    /// refused step goes out before it.
    /// </summary>
    public IReadOnlyList<HandOff> Then { get; init; } = [];

    /// <summary>The hand-off of <paramref name="request"/> to <paramref name="method"/>; the request's request_id must be set and becomes the hand-off's id.</summary>
    public static HandOff To(MethodDescriptor method, IMessage request, string journey = "")
    {
        var path = $"/{method.Service.FullName}/{method.Name}";
        var operation = ContractCatalog.FindByPath(path) ?? throw new ArgumentException($"{path} is not an operation of the contracts", nameof(method));
        if (!operation.ChangesState || operation.IsStreaming)
            throw new ArgumentException($"{path} is not a unary operation that changes state: a hand-off must be idempotent by request id", nameof(method));
        if (method.InputType != request.Descriptor)
            throw new ArgumentException($"{path} takes {method.InputType.FullName}, not {request.Descriptor.FullName}", nameof(request));
        var requestId = request.Descriptor.FindFieldByName("request_id")?.Accessor.GetValue(request) as string;
        if (string.IsNullOrEmpty(requestId))
            throw new ArgumentException($"the {request.Descriptor.Name} handed off has no request_id: the receiver needs one to answer a repeat with its first answer", nameof(request));
        return new HandOff(requestId, path, request.ToByteArray()) { Journey = journey };
    }

    /// <summary>The receiving service's contract area (quote, inspection, auction, transport).</summary>
    public string Area => ContractCatalog.FindByPath(Operation)?.Area ?? throw new InvalidOperationException($"{Operation} is not an operation of the contracts");
}
