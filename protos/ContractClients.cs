using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Contracts;

/// <summary>A client of every contract service over one call invoker: what a caller of the gateway holds.</summary>
public class ContractClients(CallInvoker invoker)
{
    public QuoteService.QuoteServiceClient Quote { get; } = new(invoker);

    public InspectionService.InspectionServiceClient Inspection { get; } = new(invoker);

    public AuctionService.AuctionServiceClient Auction { get; } = new(invoker);

    public TransportService.TransportServiceClient Transport { get; } = new(invoker);

    public ClockService.ClockServiceClient Clock { get; } = new(invoker);

    /// <summary>Each service's failed hand-offs: a call names whose (<see cref="ServiceMetadata.For"/>).</summary>
    public HandOffService.HandOffServiceClient HandOffs { get; } = new(invoker);
}
