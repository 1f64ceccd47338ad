using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Auction;

/// <summary>
/// The Auction service: SmartAuction listings, bids, proxy maxima, streams and results.
/// Operations not overridden here answer Unimplemented (see Program.cs for where they come).
/// </summary>
public sealed class AuctionGrpcService : AuctionService.AuctionServiceBase;
