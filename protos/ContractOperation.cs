using Google.Protobuf.Reflection;

namespace Remarketing.Contracts;

/// <summary>One gRPC operation of the public contract and who may call it.</summary>
/// <param name="Path">The HTTP/2 path, e.g. <c>/remarketing.auction.v1.AuctionService/PlaceBid</c>.</param>
/// <param name="Area">The contract area from the package name: quote, inspection, auction, transport, common.</param>
public sealed record ContractOperation(
    string Path,
    string Service,
    string Method,
    string Area,
    IReadOnlySet<string> Roles,
    IReadOnlySet<string> Services,
    bool ChangesState,
    bool IsStreaming,
    MethodDescriptor Descriptor);
