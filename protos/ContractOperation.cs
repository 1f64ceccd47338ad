using Google.Protobuf.Reflection;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

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
    bool ChangesState,
    bool IsStreaming,
    MethodDescriptor Descriptor);
