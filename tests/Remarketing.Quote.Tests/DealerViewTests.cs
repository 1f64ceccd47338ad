using Google.Protobuf;
using Grpc.Core;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Quote.Tests;

/// <summary>
/// Every answer either dealer role can get, from every operation the contracts open to it, through
/// the gateway, on a vehicle taken from its quotes and return through inspection, auction, pickup
/// and delivery (and a second one bought by its dealer): nothing outside the role's view
/// (<see cref="CallerViews"/>), and none of the lessee's figures.
/// </summary>
[Trait("Category", "System")]
public sealed class DealerViewTests(LifecycleSystemFixture system) : IClassFixture<LifecycleSystemFixture>
{
    private const string DealerId = "D-710";
    private const string BuyerId = "B-710";
    private const string OtherBuyerId = "B-711";

    /// <summary>The lessee's figures as a quote or letter writes them: a dealer reads none.</summary>
    private static readonly string[] LesseesFiguresAsWritten = ["$437.13", "$17,345.67", "$0.23", "$31.17", "$517.00", "$123.45", "$81.19", "$0.17", "6.25%"];

    private readonly List<(string Role, string Operation, IMessage Answer)> _answers = [];

    private Metadata Dealer => system.As(DealerId, RoleNames.GroundingDealer);

    private Metadata Buyer => system.As(BuyerId, RoleNames.Buyer);

    [Fact]
    public async Task EveryAnswerToADealer_FromEveryOperationItsRoleMayCall_HoldsNothingOutsideItsView_NorTheLesseesFigures()
    {
        var today = await system.TodayAsync();
        var terms = LeaseWithDistinctFigures(today);
        var bought = LeaseWithDistinctFigures(today);
        await SampleLease.FranchiseAsync(system.Quote, system.Center, DealerId, terms.Make);
        await system.Quote.CreateLeaseAccountAsync(TestLeaseEnd.Create(terms), system.Center);
        await system.Quote.CreateLeaseAccountAsync(TestLeaseEnd.Create(bought), system.Center);
        var buyout = await system.Quote.GetQuoteAsync(new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout }, system.Center);
        var lendersReturnQuote = await system.Quote.GetQuoteAsync(
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeReturn, OdometerMiles = 30_000 }, system.Center);

        await BeforeTheReturnAsync(terms);
        var returned = await ReturnAsync(terms);
        await BuyForInventoryAsync(bought);
        var report = await InspectionAsync(returned.CaseId);
        var proofOfSale = await AuctionAsync(returned.CaseId, report);
        await PickupAsync(returned.CaseId, proofOfSale);

        var uncalled = ContractCatalog.Operations
            .SelectMany(operation => CallerViews.All.Where(view => operation.Roles.Contains(view.Role)).Select(view => (view.Role, Operation: NameOf(operation))))
            .Where(called => !_answers.Any(answer => (answer.Role, answer.Operation) == called));
        Assert.Empty(uncalled);
        Assert.Empty(_answers.SelectMany(answer => ViewChecks.Outside(CallerViews.For(answer.Role)!, answer.Answer).Select(field => $"{answer.Operation} to {answer.Role}: {field}")));
        long[] lesseesFigures = [437_13, 17_345_67, 31_17, 517_00, -517_00, 123_45, 81_19, buyout.TotalCents, lendersReturnQuote.EarlyTerminationPayoffCents];
        Assert.Empty(_answers.SelectMany(answer => ViewChecks.AllNumbers(answer.Answer).Where(lesseesFigures.Contains).Select(number => $"{answer.Operation} to {answer.Role}: {number}")));
        var text = string.Join("\n", _answers.Select(answer => answer.Answer.ToString()));
        Assert.All(LesseesFiguresAsWritten, figure => Assert.DoesNotContain(figure, text));
    }

    /// <summary>A lease two years in, whose money figures are numbers found nowhere else in the system.</summary>
    private static LeaseTerms LeaseWithDistinctFigures(DateOnly today) => TestLeaseEnd.Terms(start: today.AddMonths(-24).AddDays(-3)) with
    {
        MonthlyPaymentCents = 437_13,
        PurchaseOptionPriceCents = 17_345_67,
        ExcessMileageRateCentsPerMile = 23,
        ExtensionDailyFeeCents = 31_17,
        SecurityDepositCents = 517_00,
        PastDueCents = 123_45,
        UnpaidPersonalPropertyTaxCents = 81_19,
        SalesTaxRateBasisPoints = 625,
        PurchaseOptionFeeCents = 301_00,
        DispositionFeeCents = 395_00,
        PurchasedAdditionalMiles = 1_000,
        PurchasedMilePriceCents = 17,
    };

    /// <summary>The account, its quotes and options, retail financing and the clock, before the vehicle is back.</summary>
    private async Task BeforeTheReturnAsync(LeaseTerms terms)
    {
        Seen(RoleNames.GroundingDealer, "QuoteService/GetLeaseAccount", await system.Quote.GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin }, Dealer));
        foreach (var kind in new[] { QuoteKind.DealerPurchaseForLessee, QuoteKind.DealerPurchaseForInventory, QuoteKind.LesseeReturn })
            Seen(RoleNames.GroundingDealer, "QuoteService/GetQuote", await system.Quote.GetQuoteAsync(new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, Vin = terms.Vin, OdometerMiles = 30_000 }, Dealer));
        Seen(RoleNames.GroundingDealer, "QuoteService/CompareEarlyTerminationOptions", await system.Quote.CompareEarlyTerminationOptionsAsync(
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, Vin = terms.Vin, OdometerMiles = 30_000 }, Dealer));
        var clock = new ClockService.ClockServiceClient(system.System.GatewayChannel());
        foreach (var (role, caller) in new[] { (RoleNames.GroundingDealer, Dealer), (RoleNames.Buyer, Buyer) })
        {
            Seen(role, "QuoteService/CheckRetailFinancing", await system.Quote.CheckRetailFinancingAsync(new CheckRetailFinancingRequest { ModelYear = terms.ModelYear, OdometerMiles = 30_000 }, caller));
            Seen(role, "ClockService/GetClock", await clock.GetClockAsync(new GetClockRequest(), caller));
            using var watch = clock.WatchClock(new WatchClockRequest(), caller);
            Assert.True(await watch.ResponseStream.MoveNext());
            Seen(role, "ClockService/WatchClock", watch.ResponseStream.Current);
        }
    }

    private async Task<ReturnCase> ReturnAsync(LeaseTerms terms)
    {
        var returned = await system.Quote.NotifyReturnAsync(TestLeaseEnd.Return(terms, await system.TodayAsync(), 30_000), Dealer);
        Seen(RoleNames.GroundingDealer, "QuoteService/NotifyReturn", returned);
        Seen(RoleNames.GroundingDealer, "QuoteService/RecordOdometer", await system.Quote.RecordOdometerAsync(
            new RecordOdometerRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = returned.CaseId, OdometerMiles = 30_010, SignedByLessee = true }, Dealer));
        Seen(RoleNames.GroundingDealer, "QuoteService/GetReturnCase", await system.Quote.GetReturnCaseAsync(new GetReturnCaseRequest { CaseId = returned.CaseId }, Dealer));
        return returned;
    }

    private async Task BuyForInventoryAsync(LeaseTerms terms)
    {
        var held = await system.Quote.NotifyReturnAsync(
            TestLeaseEnd.Return(terms, await system.TodayAsync(), 30_000, ReturnDisposition.DealerPurchaseForInventory), Dealer);
        Seen(RoleNames.GroundingDealer, "QuoteService/CompleteDealerPurchase", await system.Quote.CompleteDealerPurchaseAsync(
            new CompleteDealerPurchaseRequest { RequestId = TestLeaseEnd.NewRequestId(), CaseId = held.CaseId }, Dealer));
    }

    private async Task<ConditionReport> InspectionAsync(string caseId)
    {
        var scheduled = await system.ReachedAsync(caseId, CaseStep.InspectionScheduled);
        Seen(RoleNames.GroundingDealer, "InspectionService/GetInspectionOrder", await system.Inspection.GetInspectionOrderAsync(new GetInspectionOrderRequest { OrderId = scheduled.Reference }, Dealer));
        var report = await system.InspectAsync(caseId, Lifecycle.WornTireReport(30_010));
        Assert.True(report.AuctionEligible);
        foreach (var (role, caller) in new[] { (RoleNames.GroundingDealer, Dealer), (RoleNames.Buyer, Buyer) })
            Seen(role, "InspectionService/GetConditionReport", await system.Inspection.GetConditionReportAsync(new GetConditionReportRequest { ConditionReportId = report.ConditionReportId }, caller));
        return report;
    }

    /// <summary>
    /// Both roles watch the listing; one buyer bids, another outbids it over a bid stream, the first
    /// buys it now. The proof of sale. The shared clock stands still meanwhile: at 40,000 times real
    /// time the listing's days pass in seconds, and on a loaded machine (a CI run, on a Redis Cluster)
    /// it ended before the buy-now.
    /// </summary>
    private async Task<string> AuctionAsync(string caseId, ConditionReport report)
    {
        var listingId = (await system.ReachedAsync(caseId, CaseStep.Listed)).Reference;
        var clock = new ClockService.ClockServiceClient(system.System.GatewayChannel());
        await clock.SetClockAsync(new SetClockRequest { RequestId = TestLeaseEnd.NewRequestId(), Speed = 0 }, system.Center);
        try
        {
            return await WhileTheClockStandsStillAsync(listingId, report);
        }
        finally
        {
            await clock.SetClockAsync(new SetClockRequest { RequestId = TestLeaseEnd.NewRequestId(), Speed = LifecycleSystemFixture.Speed }, system.Center);
        }
    }

    private async Task<string> WhileTheClockStandsStillAsync(string listingId, ConditionReport report)
    {
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watchers = new[] { (RoleNames.GroundingDealer, Dealer), (RoleNames.Buyer, Buyer) }
            .Select(watcher => (watcher.Item1, Events: UntilAsync(system.Auction.WatchListing(new WatchListingRequest { ListingId = listingId }, watcher.Item2, cancellationToken: watching.Token),
                listingEvent => listingEvent.KindCase == ListingEvent.KindOneofCase.Closed, watching.Token)))
            .ToList();
        var notices = UntilAsync(system.Auction.WatchMyBids(new WatchMyBidsRequest(), Buyer, cancellationToken: watching.Token),
            notice => notice.Notice?.Kind == MyBidsNoticeKind.Won, watching.Token);
        foreach (var (role, caller) in new[] { (RoleNames.GroundingDealer, Dealer), (RoleNames.Buyer, Buyer) })
        {
            Seen(role, "AuctionService/GetListing", await system.Auction.GetListingAsync(new GetListingRequest { ListingId = listingId }, caller));
            Seen(role, "AuctionService/ListListings", await system.Auction.ListListingsAsync(new ListListingsRequest(), caller));
        }

        var listing = await system.Auction.GetListingAsync(new GetListingRequest { ListingId = listingId }, Buyer);
        var bid = await system.Auction.PlaceBidAsync(new PlaceBidRequest { ListingId = listingId, BidId = TestLeaseEnd.NewRequestId(), AmountCents = listing.MinimumNextBidCents }, Buyer);
        Assert.True(bid.Accepted, bid.Message);
        Seen(RoleNames.Buyer, "AuctionService/PlaceBid", bid);
        using (var stream = system.Auction.BidStream(system.As(OtherBuyerId, RoleNames.Buyer)))
        {
            await stream.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = listingId, BidId = TestLeaseEnd.NewRequestId(), AmountCents = bid.MinimumNextBidCents });
            Assert.True(await stream.ResponseStream.MoveNext());
            Seen(RoleNames.Buyer, "AuctionService/BidStream", stream.ResponseStream.Current);
            await stream.RequestStream.CompleteAsync();
        }
        Assert.True(report.BuyNowPriceCents > 0);
        var boughtNow = await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = TestLeaseEnd.NewRequestId(), ListingId = listingId }, Buyer);
        Seen(RoleNames.Buyer, "AuctionService/BuyNow", boughtNow);

        foreach (var (role, events) in watchers)
            Assert.All(await events, listingEvent => Seen(role, "AuctionService/WatchListing", listingEvent));
        Assert.All(await notices, notice => Seen(RoleNames.Buyer, "AuctionService/WatchMyBids", notice));
        return boughtNow.ProofOfSaleId;
    }

    private async Task PickupAsync(string caseId, string proofOfSale)
    {
        var order = await system.PickupAsync(caseId);
        foreach (var (role, caller) in new[] { (RoleNames.GroundingDealer, Dealer), (RoleNames.Buyer, Buyer) })
        {
            Seen(role, "TransportService/GetPickupOrder", await system.Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = order.OrderId }, caller));
            Seen(role, "TransportService/ListPickupOrders", await system.Transport.ListPickupOrdersAsync(new ListPickupOrdersRequest(), caller));
            using var watch = system.Transport.WatchOrder(new WatchOrderRequest { OrderId = order.OrderId }, caller);
            Assert.True(await watch.ResponseStream.MoveNext());
            Seen(role, "TransportService/WatchOrder", watch.ResponseStream.Current);
        }
        await system.ReachedAsync(caseId, CaseStep.Settled);
        Seen(RoleNames.GroundingDealer, "TransportService/ReleaseVehicle", await system.Transport.ReleaseVehicleAsync(
            new ReleaseVehicleRequest { RequestId = TestLeaseEnd.NewRequestId(), OrderId = order.OrderId, DocumentId = proofOfSale }, Dealer));
        Seen(RoleNames.Buyer, "TransportService/ConfirmDelivery", await system.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = TestLeaseEnd.NewRequestId(), OrderId = order.OrderId }, Buyer));
    }

    /// <summary>Every message of a stream up to and including the first that <paramref name="last"/> matches.</summary>
    private static async Task<List<T>> UntilAsync<T>(AsyncServerStreamingCall<T> call, Func<T, bool> last, CancellationToken cancellationToken)
    {
        using (call)
        {
            var messages = new List<T>();
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                messages.Add(call.ResponseStream.Current);
                if (last(call.ResponseStream.Current))
                    break;
            }
            return messages;
        }
    }

    /// <summary>Records what <paramref name="role"/> got from <paramref name="operation"/> ("QuoteService/GetQuote").</summary>
    private void Seen(string role, string operation, IMessage answer) => _answers.Add((role, operation, answer));

    private static string NameOf(ContractOperation operation) => $"{operation.Descriptor.Service.Name}/{operation.Method}";
}
