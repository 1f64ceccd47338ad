using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Auction.Engine;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Auction;

/// <summary>
/// The Auction service's gRPC face: maps requests to the engine and its answers to the views
/// each caller may see. The rules live in <see cref="AuctionEngine"/>; the streams in
/// <see cref="ListingEventHub"/>, <see cref="MarketFeed"/> and <see cref="MyBidsNotices"/>.
/// </summary>
public sealed class AuctionGrpcService(
    AuctionEngine engine, ListingEventHub hub, MarketFeed market, MyBidsNotices notices, CallerLimits limits, TimeProvider clock, IOptions<StreamOptions> streams,
    CaseDisposals disposals, HeartbeatTicker ticker, AuctionMetrics metrics)
    : AuctionService.AuctionServiceBase
{
    public override async Task<Listing> CreateListing(CreateListingRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        Func<string, Task>? beforeOpening = string.IsNullOrWhiteSpace(request.CaseId) ? null
            : listingId => disposals.OpenAsync(request.CaseId, listingId, request.Vin.Trim().ToUpperInvariant(), context.CancellationToken);
        var listing = await engine.CreateListingAsync(CompositeKey.Of(caller), new NewListing(
            RequestId: request.RequestId,
            Vin: request.Vin.Trim().ToUpperInvariant(),
            GroundingDealerId: request.GroundingDealerId.Trim(),
            FloorPriceCents: request.FloorPriceCents,
            BuyNowPriceCents: request.BuyNowPriceCents,
            Window: request.Duration?.ToTimeSpanAwayFromZero(),
            ModelYear: request.Vehicle?.ModelYear ?? 0,
            Make: request.Vehicle?.Make ?? "",
            Model: request.Vehicle?.Model ?? "",
            Trim: request.Vehicle?.Trim ?? "",
            OdometerMiles: request.OdometerMiles,
            ConditionGradeTenths: request.ConditionGradeTenths,
            OpeningPriceCents: request.OpeningPriceCents,
            CaseId: request.CaseId,
            ConditionReportId: request.ConditionReportId), beforeOpening);
        return ListingViews.ToProto(listing, caller, 0, engine.Increments);
    }

    public override async Task<Listing> GetListing(GetListingRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ViewAsync(await engine.GetListingAsync(request.ListingId), caller);
    }

    public override async Task<ListListingsResponse> ListListings(ListListingsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var status = request.State switch
        {
            ListingState.Unspecified or ListingState.Live => ListingStatus.Live,
            ListingState.Sold => ListingStatus.Sold,
            ListingState.Unsold => ListingStatus.Unsold,
            ListingState.Withdrawn => ListingStatus.Withdrawn,
            _ => throw DomainException.InvalidArgument($"unknown listing state {request.State}"),
        };
        var (listings, next) = await engine.ListAsync(status, request.Page?.PageSize ?? 0, request.Page?.PageToken ?? "");
        var response = new ListListingsResponse { Page = new() { NextPageToken = next } };
        response.Listings.Add(await ViewsAsync(listings, caller));
        return response;
    }

    public override async Task<PlaceBidResponse> PlaceBid(PlaceBidRequest request, ServerCallContext context) =>
        await PlaceAsync(request, context.GetCaller());

    public override async Task BidStream(IAsyncStreamReader<PlaceBidRequest> requestStream, IServerStreamWriter<PlaceBidResponse> responseStream, ServerCallContext context)
    {
        var caller = context.GetCaller();
        // Answers and heartbeats go out through one writer; heartbeats only while no answer is due.
        var pump = new ServerStreamPump<PlaceBidResponse>(streams.Value, () => new PlaceBidResponse { Heartbeat = Heartbeats.Now(clock) }, ticker);
        var writing = pump.RunAsync(responseStream, context.CancellationToken);
        Exception? failure = null;
        try
        {
            // One bid at a time, answered in order: the same rules, idempotency and per-caller write
            // limit as PlaceBid (the gateway counts the stream once; each bid on it counts here).
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                if (limits.TryWrite(caller) is { } refusal)
                    throw new RpcException(refusal);
                await pump.PublishAsync(await PlaceAsync(request, caller), context.CancellationToken);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // The answers already queued go out before the call ends, with the failure's status if any.
        pump.Complete();
        try
        {
            await writing;
        }
        catch (Exception) when (failure is not null)
        {
            // The call is ending with the failure below.
        }
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    public override async Task<BuyNowResponse> BuyNow(BuyNowRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var (listing, proof) = await engine.BuyNowAsync(caller.Subject, request.ListingId, request.RequestId);
        return new BuyNowResponse { Listing = await ViewAsync(listing, caller), ProofOfSaleId = proof };
    }

    public override async Task<Listing> CloseListing(CloseListingRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        return await ViewAsync(await engine.CloseEarlyAsync(CompositeKey.Of(caller), request.ListingId, request.RequestId, request.Reason, request.Withdraw), caller);
    }

    public override async Task<ListResultsResponse> ListResults(ListResultsRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var (listings, next) = await engine.ListResultsAsync(request.Page?.PageSize ?? 0, request.Page?.PageToken ?? "");
        var response = new ListResultsResponse { Page = new() { NextPageToken = next } };
        response.Listings.Add(await ViewsAsync(listings, caller));
        return response;
    }

    public override Task WatchListing(WatchListingRequest request, IServerStreamWriter<ListingEvent> responseStream, ServerCallContext context) =>
        hub.WatchListingAsync(request.ListingId, request.AfterSequence, context.GetCaller(), responseStream, context.CancellationToken, context.GetHttpContext().Response.BodyWriter);

    public override Task RelayListing(RelayListingRequest request, IServerStreamWriter<RelayedListingEvent> responseStream, ServerCallContext context) =>
        hub.RelayListingAsync(request.ListingId, context.GetCaller(), responseStream, context.CancellationToken, context.GetHttpContext().Response.BodyWriter);

    public override Task WatchMarket(WatchMarketRequest request, IServerStreamWriter<MarketEvent> responseStream, ServerCallContext context) =>
        market.WatchAsync(context.GetCaller(), responseStream, context.CancellationToken, context.GetHttpContext().Response.BodyWriter);

    public override Task WatchMyBids(WatchMyBidsRequest request, IServerStreamWriter<MyBidsEvent> responseStream, ServerCallContext context) =>
        notices.WatchAsync(context.GetCaller(), responseStream, context.CancellationToken);

    private async Task<PlaceBidResponse> PlaceAsync(PlaceBidRequest request, Caller caller)
    {
        var answer = await engine.PlaceBidAsync(caller.Subject, request.ListingId, request.BidId, request.AmountCents, request.MaxAmountCents);
        metrics.BidAnswered(answer);
        return ListingViews.ToProto(answer, request.BidId);
    }

    /// <summary>A page of views; a buyer's own maxima are read at once, not one round trip after another.</summary>
    private async Task<Listing[]> ViewsAsync(IEnumerable<ListingRecord> listings, Caller caller) =>
        await Task.WhenAll(listings.Select(listing => ViewAsync(listing, caller)));

    private async Task<Listing> ViewAsync(ListingRecord listing, Caller caller)
    {
        var ownMaximum = ListingAccess.HasOwnMaximum(caller) ? await engine.OwnMaximumAsync(listing.ListingId, caller.Subject) : 0;
        return ListingViews.ToProto(listing, caller, ownMaximum, engine.Increments);
    }
}
