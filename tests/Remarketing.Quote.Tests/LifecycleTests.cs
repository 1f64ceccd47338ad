using System.Diagnostics;
using Grpc.Core;
using StackExchange.Redis;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Quote.Tests;

/// <summary>
/// Each lease-end path from the return to its end, through the gateway and the real services,
/// with nothing carried between them by hand: every step after the callers' own is a hand-off.
/// </summary>
[Trait("Category", "System")]
[Collection(LifecycleCollection.Name)]
public sealed class LifecycleTests(LifecycleSystemFixture system)
{
    private const string DealerId = "D-100";
    private const string BuyerId = "B-900";
    private const string CarrierId = "CARRIER-7";

    /// <summary>Names Quote's outbox keys (nothing is sent through it here).</summary>
    private static readonly Outbox QuoteOutbox = new("quote");

    private Metadata Dealer => system.As(DealerId, RoleNames.GroundingDealer);

    private Metadata Buyer => system.As(BuyerId, RoleNames.Buyer);

    private Metadata Carrier => system.As(CarrierId, RoleNames.Transporter);

    [Fact]
    public async Task NormalMaturityReturn_Inspected_Sold_ReleasedAgainstTheProofOfSale_SettledWithTheDepositRefunded()
    {
        var (terms, returned) = await ReturnAsync(matured: true);
        Assert.Equal(TerminationType.NormalMaturity, returned.TerminationType);

        var report = await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        Assert.True(report.AuctionEligible);
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var listing = await system.Auction.GetListingAsync(new GetListingRequest { ListingId = listed.Reference }, system.Center);
        Assert.Equal((report.FloorPriceCents, report.BuyNowPriceCents, report.ConditionReportId), (listing.FloorPriceCents, listing.BuyNowPriceCents, listing.ConditionReportId));
        var bought = await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = NewId(), ListingId = listing.ListingId }, Buyer);

        var pickup = await system.PickupAsync(returned.CaseId);
        Assert.Equal((PickupKind.Buyer, BuyerId, listing.ListingId), (pickup.Kind, pickup.BuyerDealerId, pickup.ListingId));
        await system.ReachedAsync(returned.CaseId, CaseStep.Settled);
        var settledNotReleased = await system.StatusAsync(returned.CaseId);
        Assert.Equal((ReturnCaseState.Settled, false), (settledNotReleased.State, settledNotReleased.Ended));
        Assert.Equal("settled, not yet released: the grounding dealer to release the vehicle against the matching document", settledNotReleased.WaitingFor);
        await ReleaseExactlyOnceAsync(pickup, bought.ProofOfSaleId);
        await system.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = NewId(), OrderId = pickup.OrderId }, Buyer);

        await system.ReachedAsync(returned.CaseId, CaseStep.Delivered);
        var settlement = await system.Quote.GetSettlementAsync(new GetSettlementRequest { CaseId = returned.CaseId }, system.Center);
        var letters = await system.Quote.ListLettersAsync(new ListLettersRequest { AccountId = terms.AccountId }, system.Center);
        var status = await system.StatusAsync(returned.CaseId);
        Assert.True(settlement.Final);
        Assert.Contains(settlement.LineItems, line => line.Code == "security_deposit" && line.AmountCents == -terms.SecurityDepositCents);
        Assert.Contains(settlement.LineItems, line => line.Code == "excess_wear" || line.Description.Contains("tire", StringComparison.Ordinal));
        Assert.Contains(letters.Letters, letter => letter.Kind == LetterKind.Settlement);
        Assert.DoesNotContain(letters.Letters, letter => letter.Kind == LetterKind.EarlyTerminationPreSale);
        Assert.True(status.Ended, status.WaitingFor);
        Assert.Equal(
            [CaseStep.ReturnNotified, CaseStep.SentToRemarketing, CaseStep.InspectionScheduled, CaseStep.InspectionAccepted, CaseStep.Inspected, CaseStep.Listed,
             CaseStep.Sold, CaseStep.PickupOrdered, CaseStep.ReleaseRefused, CaseStep.Released, CaseStep.Delivered, CaseStep.Settled],
            status.Events.Select(step => step.Step).Distinct().Order());
    }

    [Fact]
    public async Task EarlyTerminationReturn_PreSaleLetterAfterTheInspection_SettlementLetterOnlyAfterTheSale()
    {
        var (terms, returned) = await ReturnAsync(matured: false);
        Assert.Equal(TerminationType.Early, returned.TerminationType);

        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        await system.ReachedAsync(returned.CaseId, CaseStep.Inspected);
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var beforeSale = await system.Quote.ListLettersAsync(new ListLettersRequest { AccountId = terms.AccountId }, system.Center);
        await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = NewId(), ListingId = listed.Reference }, Buyer);
        await system.ReachedAsync(returned.CaseId, CaseStep.Settled);
        var afterSale = await system.Quote.ListLettersAsync(new ListLettersRequest { AccountId = terms.AccountId }, system.Center);

        Assert.Contains(beforeSale.Letters, letter => letter.Kind == LetterKind.EarlyTerminationPreSale);
        Assert.DoesNotContain(beforeSale.Letters, letter => letter.Kind == LetterKind.Settlement);
        Assert.Contains(afterSale.Letters, letter => letter.Kind == LetterKind.Settlement);
    }

    [Fact]
    public async Task DealerPurchaseForInventory_CompletedWithinTheHold_NeverInspectedNorListed()
    {
        var (_, returned) = await ReturnAsync(matured: true, disposition: ReturnDisposition.DealerPurchaseForInventory);

        var completed = await system.Quote.CompleteDealerPurchaseAsync(new CompleteDealerPurchaseRequest { RequestId = NewId(), CaseId = returned.CaseId }, Dealer);
        var status = await system.StatusAsync(returned.CaseId);
        var holdsEnding = await system.Redis.GetDatabase().SortedSetRangeByRankAsync(QuoteStore.HoldsEnding);

        Assert.Equal(ReturnCaseState.Purchased, completed.State);
        Assert.True(status.Ended);
        Assert.DoesNotContain(status.Events, step => step.Step is CaseStep.SentToRemarketing or CaseStep.InspectionScheduled or CaseStep.Listed);
        // Off the hold schedule, so the hold never lapses into remarketing; and nothing was handed to Inspection.
        Assert.DoesNotContain((RedisValue)returned.AccountId, holdsEnding);
        await NoOrderAsync(returned.CaseId);
    }

    [Fact]
    public async Task DealerPurchaseHold_Lapsed_GoesToInspectionAndAuction()
    {
        var (_, returned) = await ReturnAsync(matured: true, disposition: ReturnDisposition.DealerPurchaseForLessee);

        var scheduled = await system.ReachedAsync(returned.CaseId, CaseStep.InspectionScheduled);
        var order = await system.Inspection.GetInspectionOrderAsync(new GetInspectionOrderRequest { OrderId = scheduled.Reference }, system.Center);
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var status = await system.StatusAsync(returned.CaseId);

        Assert.Equal("dealer_purchase_hold_lapsed", order.Reason);
        Assert.Contains(status.Events, step => step.Step == CaseStep.HeldForDealerPurchase);
        Assert.Equal(ReturnCaseState.Inspected, status.State);
        Assert.Equal("the SmartAuction listing to close", status.WaitingFor);
        Assert.NotEmpty(listed.Reference);
    }

    [Fact]
    public async Task IneligibleVehicle_GoesToATransporterPickup_ReleasedAgainstTheBillOfLading_SettledOnceTheCenterRecordsThePhysicalSale()
    {
        var (terms, returned) = await ReturnAsync(matured: true);
        var flooded = Lifecycle.WornTireReport(30_000);
        flooded.FloodDamage = true;

        var report = await system.InspectAsync(returned.CaseId, flooded);
        var pickup = await system.PickupAsync(returned.CaseId);
        var assigned = await system.Transport.AssignCarrierAsync(new AssignCarrierRequest { RequestId = NewId(), OrderId = pickup.OrderId }, Carrier);
        await ReleaseExactlyOnceAsync(pickup, assigned.BillOfLadingId);
        await system.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = NewId(), OrderId = pickup.OrderId }, Carrier);
        await system.ReachedAsync(returned.CaseId, CaseStep.Delivered);
        var delivered = await system.StatusAsync(returned.CaseId);
        var physicalSale = new RecordAuctionResultRequest
        {
            RequestId = NewId(), CaseId = returned.CaseId, ListingId = "PHYSICAL-LOT-4411", Sold = true, SalePriceCents = 9_800_00,
            ClosedAt = await system.NowAsync(),
        };
        var byTheDealer = await Assert.ThrowsAsync<RpcException>(() => system.Quote.RecordAuctionResultAsync(physicalSale, Dealer).ResponseAsync);
        var sold = await system.Quote.RecordAuctionResultAsync(physicalSale, system.Center);
        var settlement = await system.Quote.GetSettlementAsync(new GetSettlementRequest { CaseId = returned.CaseId }, system.Center);
        var letters = await system.Quote.ListLettersAsync(new ListLettersRequest { AccountId = terms.AccountId }, system.Center);
        var settled = await system.StatusAsync(returned.CaseId);

        Assert.False(report.AuctionEligible);
        Assert.Contains("not eligible: flood damage", report.EligibilityReasons);
        Assert.Equal((PickupKind.Transporter, ""), (pickup.Kind, pickup.ListingId));
        Assert.DoesNotContain(delivered.Events, step => step.Step == CaseStep.Listed);
        Assert.False(delivered.Ended);
        Assert.StartsWith("the sale at the physical auction", delivered.WaitingFor, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, byTheDealer.StatusCode);
        Assert.Equal(ReturnCaseState.Settled, sold.State);
        Assert.True(settlement.Final);
        Assert.Contains(settlement.LineItems, line => line.Code == "security_deposit" && line.AmountCents == -terms.SecurityDepositCents);
        Assert.Contains(letters.Letters, letter => letter.Kind == LetterKind.Settlement);
        Assert.True(settled.Ended, settled.WaitingFor);
    }

    [Fact]
    public async Task VehicleInAlaska_GoesToTheRemarketingCentersQueue_WithTheReason()
    {
        var (_, returned) = await ReturnAsync(matured: true, state: "AK");

        var queued = await system.ReachedAsync(returned.CaseId, CaseStep.QueuedForRemarketingCenter);
        var pending = await system.Inspection.ListPendingAsync(new ListPendingRequest { Page = new() { PageSize = 200 } }, system.Center);
        var status = await system.StatusAsync(returned.CaseId);

        var order = Assert.Single(pending.Orders, order => order.CaseId == returned.CaseId);
        Assert.Equal(InspectionOrderState.RemarketingCenter, order.State);
        Assert.Contains("AK", order.RemarketingCenterReason, StringComparison.Ordinal);
        Assert.Equal(order.OrderId, queued.Reference);
        Assert.StartsWith("the remarketing center", status.WaitingFor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsoldListing_GoesToATransporterPickup_AndQuoteKnowsItDidNotSell()
    {
        var (_, returned) = await ReturnAsync(matured: true);
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);

        // No bid reached the floor: closed now, it ends unsold.
        var closed = await system.Auction.CloseListingAsync(new CloseListingRequest { RequestId = NewId(), ListingId = listed.Reference, Reason = "test: end of window" }, system.Center);
        await system.ReachedAsync(returned.CaseId, CaseStep.Unsold);
        var pickup = await system.PickupAsync(returned.CaseId);
        var status = await system.StatusAsync(returned.CaseId);

        Assert.Equal(ListingState.Unsold, closed.State);
        Assert.Equal((PickupKind.Transporter, PickupOrderState.AwaitingCarrier, listed.Reference), (pickup.Kind, pickup.State, pickup.ListingId));
        Assert.Equal(ReturnCaseState.Unsold, status.State);
        Assert.Equal("a carrier to be assigned to the transporter pickup", status.WaitingFor);
    }

    [Fact]
    public async Task TheCentersListingsInspectionsAndPickups_NameOnlyCasesQuoteHolds_AndTheirOwnVehicles_OrNothingIsMade()
    {
        var (terms, returned) = await ReturnAsync(matured: true);
        var otherVin = TestVins.Next();
        CreateListingRequest Listing(string caseId, string vin) => new()
        {
            RequestId = NewId(), CaseId = caseId, Vin = vin, GroundingDealerId = DealerId, FloorPriceCents = 15_000_00,
            Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromDays(2)),
        };

        var noCase = await Assert.ThrowsAsync<RpcException>(() => system.Auction.CreateListingAsync(Listing("A-NEVER-R1", otherVin), system.Center).ResponseAsync);
        var otherCar = await Assert.ThrowsAsync<RpcException>(() => system.Auction.CreateListingAsync(Listing(returned.CaseId, otherVin), system.Center).ResponseAsync);
        var noInspection = await Assert.ThrowsAsync<RpcException>(() => system.Inspection.ScheduleInspectionAsync(new ScheduleInspectionRequest
        {
            RequestId = NewId(), CaseId = "A-NEVER-R1", AccountId = "A-NEVER", GroundingDealerId = DealerId, DealerState = "OH", OdometerMiles = 30_000,
            Vehicle = new Vehicle { Vin = otherVin, ModelYear = 2025, Make = "Honda", Model = "Accord" },
        }, system.Center).ResponseAsync);
        var noPickup = await Assert.ThrowsAsync<RpcException>(() => system.Transport.CreatePickupAsync(new CreatePickupRequest
        {
            RequestId = NewId(), Kind = PickupKind.Transporter, CaseId = "A-NEVER-R1", Vehicle = new Vehicle { Vin = otherVin }, GroundingDealerId = DealerId,
            Destination = "Manheim Pittsburgh",
        }, system.Center).ResponseAsync);
        var live = await system.Auction.ListListingsAsync(new ListListingsRequest { Page = new() { PageSize = 200 } }, system.Center);

        Assert.Equal(
            (StatusCode.NotFound, "Quote holds no return case A-NEVER-R1: a listing names only a case Quote knows (GetCaseStatus finds it), or none"),
            (noCase.StatusCode, noCase.Status.Detail));
        Assert.Equal(
            (StatusCode.FailedPrecondition, $"return case {returned.CaseId} is VIN {terms.Vin}, not {otherVin}: a listing names the case's own vehicle"),
            (otherCar.StatusCode, otherCar.Status.Detail));
        Assert.Equal((StatusCode.NotFound, StatusCode.NotFound), (noInspection.StatusCode, noPickup.StatusCode));
        Assert.DoesNotContain(live.Listings, listing => listing.Vin == otherVin);
    }

    [Fact]
    public async Task TheCentersBuyerPickup_NamesTheListingsRealBuyerAndProof_OrIsRefused()
    {
        var (terms, returned) = await ReturnAsync(matured: true);
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var bought = await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = NewId(), ListingId = listed.Reference }, Buyer);
        var handedOff = await system.PickupAsync(returned.CaseId);
        CreatePickupRequest Pickup(string buyer, string proof) => new()
        {
            RequestId = NewId(), Kind = PickupKind.Buyer, CaseId = returned.CaseId, ListingId = listed.Reference, Vehicle = new Vehicle { Vin = terms.Vin },
            GroundingDealerId = DealerId, BuyerDealerId = buyer, ProofOfSaleId = proof,
        };

        var otherBuyer = await Assert.ThrowsAsync<RpcException>(() => system.Transport.CreatePickupAsync(Pickup("B-OTHER", bought.ProofOfSaleId), system.Center).ResponseAsync);
        var madeUpProof = await Assert.ThrowsAsync<RpcException>(() => system.Transport.CreatePickupAsync(Pickup(BuyerId, "POS-00000000000000000000"), system.Center).ResponseAsync);
        var unknownListing = Pickup(BuyerId, bought.ProofOfSaleId);
        unknownListing.ListingId = "L-0000000000000000";
        var noListing = await Assert.ThrowsAsync<RpcException>(() => system.Transport.CreatePickupAsync(unknownListing, system.Center).ResponseAsync);
        var retold = await system.Transport.CreatePickupAsync(Pickup(BuyerId, bought.ProofOfSaleId), system.Center);

        Assert.Equal(
            (StatusCode.FailedPrecondition, $"listing {listed.Reference} was not sold to dealer B-OTHER against proof of sale {bought.ProofOfSaleId}: the buyer collects only with its own proof"),
            (otherBuyer.StatusCode, otherBuyer.Status.Detail));
        Assert.Equal(StatusCode.FailedPrecondition, madeUpProof.StatusCode);
        Assert.Equal(
            (StatusCode.NotFound, "the Auction service holds no listing L-0000000000000000: a pickup names only a listing it knows, or none"),
            (noListing.StatusCode, noListing.Status.Detail));
        Assert.Equal(handedOff.OrderId, retold.OrderId);
    }

    [Fact]
    public async Task DoubleDisposal_APhysicalSaleWhileTheListingIsLive_IsRefused_ThenRecordedOnceTheListingEndsUnsold_SettledOnce()
    {
        var (_, returned) = await ReturnAsync(matured: true);
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(30_000));
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        RecordAuctionResultRequest PhysicalSale() => new()
        {
            RequestId = NewId(), CaseId = returned.CaseId, ListingId = "PHYSICAL-LOT-5120", Sold = true, SalePriceCents = 9_900_00,
        };

        var whileLive = await Assert.ThrowsAsync<RpcException>(() => system.Quote.RecordAuctionResultAsync(PhysicalSale(), system.Center).ResponseAsync);
        var stillLive = await system.Auction.GetListingAsync(new GetListingRequest { ListingId = listed.Reference }, system.Center);
        var caseWhileLive = await system.StatusAsync(returned.CaseId);
        await system.Auction.CloseListingAsync(new CloseListingRequest { RequestId = NewId(), ListingId = listed.Reference, Reason = "test: no bid reached the floor" }, system.Center);
        var pickup = await system.PickupAsync(returned.CaseId);
        var assigned = await system.Transport.AssignCarrierAsync(new AssignCarrierRequest { RequestId = NewId(), OrderId = pickup.OrderId }, Carrier);
        await system.Transport.ReleaseVehicleAsync(new ReleaseVehicleRequest { RequestId = NewId(), OrderId = pickup.OrderId, DocumentId = assigned.BillOfLadingId }, Dealer);
        await system.Transport.ConfirmDeliveryAsync(new ConfirmDeliveryRequest { RequestId = NewId(), OrderId = pickup.OrderId }, Carrier);
        await system.ReachedAsync(returned.CaseId, CaseStep.Delivered);
        var sold = await system.Quote.RecordAuctionResultAsync(PhysicalSale(), system.Center);
        var twice = await Assert.ThrowsAsync<RpcException>(() => system.Quote.RecordAuctionResultAsync(PhysicalSale(), system.Center).ResponseAsync);
        var settled = await system.StatusAsync(returned.CaseId);

        Assert.Equal(StatusCode.FailedPrecondition, whileLive.StatusCode);
        Assert.StartsWith($"case {returned.CaseId} is on SmartAuction listing {listed.Reference}, opened ", whileLive.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(ListingState.Live, stillLive.State);
        Assert.Equal(ReturnCaseState.Inspected, caseWhileLive.State);
        Assert.Equal(ReturnCaseState.Settled, sold.State);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        Assert.StartsWith($"case {returned.CaseId} already settled by its sale for $9,900.00 (PHYSICAL-LOT-5120) on ", twice.Status.Detail, StringComparison.Ordinal);
        Assert.Single(settled.Events, step => step.Step == CaseStep.Settled);
        Assert.Contains(settled.Events, step => (step.Step, step.Reference) == (CaseStep.Unsold, listed.Reference));
    }

    [Fact]
    public async Task CaseStatus_ByVinAndByAccount_IsTheLatestCase_AndNeedsExactlyOneKey()
    {
        var (terms, returned) = await ReturnAsync(matured: true);

        var byVin = await system.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { Vin = terms.Vin }, system.Center);
        var byAccount = await system.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { AccountId = terms.AccountId }, system.Center);
        var none = await Assert.ThrowsAsync<RpcException>(() => system.Quote.GetCaseStatusAsync(new GetCaseStatusRequest(), system.Center).ResponseAsync);
        var two = await Assert.ThrowsAsync<RpcException>(() => system.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { Vin = terms.Vin, CaseId = returned.CaseId }, system.Center).ResponseAsync);
        var dealer = await Assert.ThrowsAsync<RpcException>(() => system.Quote.GetCaseStatusAsync(new GetCaseStatusRequest { CaseId = returned.CaseId }, Dealer).ResponseAsync);

        Assert.Equal((returned.CaseId, returned.CaseId), (byVin.CaseId, byAccount.CaseId));
        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.PermissionDenied), (none.StatusCode, two.StatusCode, dealer.StatusCode));
    }

    [Fact]
    public async Task HandOffs_WhileTheReceiverIsDown_AndTheSenderCrashes_WaitAndArriveExactlyOnce()
    {
        await system.System.KillAsync("inspection");
        ReturnCase returned;
        byte[] handOff;
        try
        {
            (_, returned) = await ReturnAsync(matured: true);
            // Written in the same transaction as the return: there as soon as the call answers.
            handOff = await PendingHandOffAsync(returned.CaseId) ?? throw new InvalidOperationException("the return wrote no hand-off to Inspection");
            // The sender dies too, before it could deliver: the outbox is in Redis, not in its memory.
            await system.System.KillAsync("quote");
        }
        finally
        {
            await system.System.StartAgainAsync("inspection");
        }
        await system.System.StartAgainAsync("quote");

        await system.ReachedAsync(returned.CaseId, CaseStep.InspectionScheduled);
        // A delivery repeated (as after a crash between the receiver's answer and the outbox's delete) changes nothing.
        var repeated = await new InspectionService.InspectionServiceClient(system.System.ServiceChannel("inspection"))
            .ScheduleInspectionAsync(ScheduleInspectionRequest.Parser.ParseFrom(handOff), system.System.Tokens.Service("quote"));
        var orders = await Waiting.EventuallyAsync("the open orders", async () =>
            (await system.Inspection.ListInspectionOrdersAsync(new ListInspectionOrdersRequest { Page = new() { PageSize = 200 } }, system.Center)).Orders.ToList());
        var status = await system.StatusAsync(returned.CaseId);

        Assert.Equal(repeated.OrderId, Assert.Single(orders, order => order.CaseId == returned.CaseId).OrderId);
        Assert.Single(status.Events, step => step.Step == CaseStep.InspectionScheduled);
        Assert.Null(await PendingHandOffAsync(returned.CaseId));
    }

    [Fact]
    public async Task OneVehiclesJourney_IsOneTraceAcrossTheFourServices_WithEachCallersOwnCallLinked()
    {
        var journey = ActivityTraceId.CreateRandom().ToHexString();
        var dealer = Dealer;
        dealer.Add("traceparent", $"00-{journey}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var (_, returned) = await ReturnAsync(matured: true, dealer: dealer);
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(returned.Odometer.OdometerMiles));
        var listed = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var bought = await system.Auction.BuyNowAsync(new BuyNowRequest { RequestId = NewId(), ListingId = listed.Reference }, Buyer);
        var pickup = await system.PickupAsync(returned.CaseId);
        await system.Transport.ReleaseVehicleAsync(new ReleaseVehicleRequest { RequestId = NewId(), OrderId = pickup.OrderId, DocumentId = bought.ProofOfSaleId }, Dealer);
        await system.ReachedAsync(returned.CaseId, CaseStep.Released);

        // The last hand-offs of the journey: Transport's reports (pickup ordered, released), received by Quote.
        var spans = await Waiting.EventuallyAsync("the journey's spans up to the release", () =>
        {
            var inJourney = system.Traces.Spans.Where(span => span.TraceId == journey).ToList();
            return Task.FromResult(inJourney.Any(span => span.Service == "Remarketing.Transport" && span.Name == "hand-off RecordCaseEvent" && span.Kind == 4)
                && inJourney.Count(span => span.Service == "Remarketing.Quote" && span.Kind == 2 && span.Name.Contains("RecordCaseEvent", StringComparison.Ordinal)) >= 5
                    ? inJourney : null);
        });

        string[] services = ["Remarketing.Gateway", "Remarketing.Quote", "Remarketing.Inspection", "Remarketing.Auction", "Remarketing.Transport"];
        Assert.Equal(services.Order(), spans.Select(span => span.Service).Distinct().Order());
        Assert.Contains(spans, span => span.Service == "Remarketing.Inspection" && span.Kind == 2 && span.Name.Contains("ScheduleInspection", StringComparison.Ordinal));
        Assert.Contains(spans, span => span.Service == "Remarketing.Auction" && span.Kind == 2 && span.Name.Contains("CreateListing", StringComparison.Ordinal));
        Assert.Contains(spans, span => span.Service == "Remarketing.Transport" && span.Kind == 2 && span.Name.Contains("CreatePickup", StringComparison.Ordinal));
        Assert.Contains(spans, span => span.Service == "Remarketing.Quote" && span.Kind == 2 && span.Name.Contains("RecordAuctionResult", StringComparison.Ordinal));
        // The inspector's report is its own trace; the hand-offs it caused run in the journey and link to it.
        var report = Assert.Single(system.Traces.Spans, span => span.Service == "Remarketing.Inspection" && span.Kind == 2
            && span.Name.Contains("SubmitConditionReport", StringComparison.Ordinal) && spans.All(inJourney => inJourney.TraceId != span.TraceId)
            && system.Traces.Spans.Any(handOff => handOff.TraceId == journey && handOff.LinkedTraces.Contains(span.TraceId)));
        Assert.Contains(spans, span => span.Name == "hand-off CreateListing" && span.LinkedTraces.Contains(report.TraceId));
    }

    [Fact]
    public async Task HandOffRefused_WaitsInTheFailedStream_InHealth_UntilTheCenterCorrectsAndReplaysIt()
    {
        var (_, returned) = await ReturnAsync(matured: true);
        var statement = returned.Odometer.OdometerMiles;
        // 5,000 mi below the signed statement: Quote refuses the result as wrong, every time it is sent.
        await system.InspectAsync(returned.CaseId, Lifecycle.WornTireReport(statement - 5_000));
        var failed = await Waiting.EventuallyAsync("the refused result in Inspection's failed stream", async () =>
            (await system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("inspection", system.Center))).HandOffs
                .FirstOrDefault(handOff => handOff.RequestJson.Contains(returned.CaseId, StringComparison.Ordinal)));
        var degraded = await system.System.HealthAsync("inspection");
        var gatewayDegraded = await system.System.HealthAsync("gateway");
        var buyerRefused = await Assert.ThrowsAsync<RpcException>(() =>
            system.HandOffs.ReplayHandOffAsync(new ReplayHandOffRequest { RequestId = NewId(), EntryId = failed.EntryId }, ServiceMetadata.For("inspection", Buyer)).ResponseAsync);
        var badEntry = await Assert.ThrowsAsync<RpcException>(() =>
            system.HandOffs.ReplayHandOffAsync(new ReplayHandOffRequest { RequestId = NewId(), EntryId = "case-1" }, ServiceMetadata.For("inspection", system.Center)).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() =>
            system.HandOffs.DiscardHandOffAsync(new DiscardHandOffRequest { RequestId = NewId(), EntryId = failed.EntryId, Reason = " " }, ServiceMetadata.For("inspection", system.Center)).ResponseAsync);
        var stillThere = await system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("inspection", system.Center));
        var whoseNotSaid = await Assert.ThrowsAsync<RpcException>(() => system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), system.Center).ResponseAsync);
        var quotesOwn = await system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("quote", system.Center));
        var whileDisputed = await system.StatusAsync(returned.CaseId);
        var queuedWhileDisputed = await system.Steps.CentersQueueAsync();

        await system.Quote.RecordOdometerAsync(new RecordOdometerRequest { RequestId = NewId(), CaseId = returned.CaseId, OdometerMiles = statement - 5_000 }, system.Center);
        var replay = new ReplayHandOffRequest { RequestId = NewId(), EntryId = failed.EntryId };
        var replayed = await system.HandOffs.ReplayHandOffAsync(replay, ServiceMetadata.For("inspection", system.Center));
        var inspected = await system.ReachedAsync(returned.CaseId, CaseStep.Inspected);
        var listedOnceResolved = await system.ReachedAsync(returned.CaseId, CaseStep.Listed);
        var repeated = await system.HandOffs.ReplayHandOffAsync(replay, ServiceMetadata.For("inspection", system.Center));
        var gone = await Assert.ThrowsAsync<RpcException>(() =>
            system.HandOffs.ReplayHandOffAsync(new ReplayHandOffRequest { RequestId = NewId(), EntryId = failed.EntryId }, ServiceMetadata.For("inspection", system.Center)).ResponseAsync);
        var healthy = await system.System.HealthAsync("inspection");
        var queuedOnceResolved = await system.Steps.CentersQueueAsync();
        var gatewayHealthy = await system.System.HealthAsync("gateway");

        Assert.Equal("/remarketing.quote.v1.QuoteService/RecordInspectionResult", failed.Operation);
        Assert.StartsWith("FailedPrecondition: the inspector's odometer", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.Attempts >= 8, $"{failed.Attempts} attempts");
        Assert.Equal("Degraded", degraded.GetProperty("checks").GetProperty("handoffs").GetProperty("status").GetString());
        Assert.Contains("1 failed", degraded.GetProperty("checks").GetProperty("handoffs").GetProperty("description").GetString(), StringComparison.Ordinal);
        // The gateway passes a service's degraded health on, with its reason.
        Assert.Equal("Degraded", gatewayDegraded.GetProperty("status").GetString());
        var inspectionAtTheGateway = gatewayDegraded.GetProperty("checks").GetProperty("backend:inspection");
        Assert.Equal("Degraded", inspectionAtTheGateway.GetProperty("status").GetString());
        Assert.Matches("^inspection at http://127.0.0.1:\\d+ is Degraded: handoffs: 0 hand-offs pending, 1 failed$", inspectionAtTheGateway.GetProperty("description").GetString());
        Assert.Equal(
            (StatusCode.PermissionDenied, StatusCode.InvalidArgument, StatusCode.InvalidArgument),
            (buyerRefused.StatusCode, badEntry.StatusCode, noReason.StatusCode));
        Assert.Contains(stillThere.HandOffs, handOff => handOff.EntryId == failed.EntryId);
        // One HandOffService, each service's own outbox: the call says whose.
        Assert.Equal(StatusCode.InvalidArgument, whoseNotSaid.StatusCode);
        Assert.Contains("remarketing-service", whoseNotSaid.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(quotesOwn.HandOffs, handOff => handOff.EntryId == failed.EntryId);
        // A car whose inspection Quote refused is not listed (nor collected) until the center resolves it.
        Assert.DoesNotContain(whileDisputed.Events, step => step.Step is CaseStep.Listed or CaseStep.PickupOrdered);
        Assert.NotEmpty(listedOnceResolved.Reference);
        // The center's queue shows it, with what is disputed and the hand-off to replay, until it is resolved.
        var disputed = Assert.Single(queuedWhileDisputed, order => order.CaseId == returned.CaseId);
        Assert.StartsWith("FailedPrecondition: the inspector's odometer", disputed.Disputed, StringComparison.Ordinal);
        Assert.Equal(failed.EntryId, disputed.DisputedHandOffEntryId);
        Assert.DoesNotContain(queuedOnceResolved, order => order.CaseId == returned.CaseId);
        Assert.Equal((failed.HandOffId, failed.EntryId), (replayed.HandOffId, replayed.EntryId));
        Assert.Equal(replayed, repeated);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Single((await system.StatusAsync(returned.CaseId)).Events, step => step.Step == CaseStep.Inspected);
        Assert.NotNull(inspected);
        Assert.Equal("Healthy", healthy.GetProperty("checks").GetProperty("handoffs").GetProperty("status").GetString());
        Assert.Equal("Healthy", gatewayHealthy.GetProperty("checks").GetProperty("backend:inspection").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AHandOffCall_NamingTwoServices_OrNoneThatExists_IsRefused_NeverForwarded()
    {
        var twice = ServiceMetadata.For("quote", system.Center);
        twice.Add(ContractCatalog.ServiceHeader, "transport");

        var both = await Assert.ThrowsAsync<RpcException>(() => system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), twice).ResponseAsync);
        var none = await Assert.ThrowsAsync<RpcException>(() =>
            system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("gateway", system.Center)).ResponseAsync);
        var caseOnly = await system.HandOffs.ListFailedHandOffsAsync(new ListFailedHandOffsRequest(), ServiceMetadata.For("Quote", system.Center));

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument), (both.StatusCode, none.StatusCode));
        Assert.NotNull(caseOnly);
    }

    [Fact]
    public async Task TheGatewaysClockLine_IsTheSharedClock_AsTheServicesHoldIt()
    {
        var quote = await system.System.HealthAsync("quote");
        var gateway = await system.System.HealthAsync("gateway");

        var quotesClock = quote.GetProperty("checks").GetProperty("clock").GetProperty("description").GetString()!;
        var gatewaysClock = gateway.GetProperty("checks").GetProperty("clock");
        Assert.StartsWith("the shared clock: version ", quotesClock, StringComparison.Ordinal);
        Assert.Equal("Healthy", gatewaysClock.GetProperty("status").GetString());
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(quotesClock)} \\(as [a-z, ]*quote[a-z, ]* hold it\\)$", gatewaysClock.GetProperty("description").GetString());
    }

    /// <summary>The ScheduleInspection request waiting in Quote's outbox for a case, as written.</summary>
    private async Task<byte[]?> PendingHandOffAsync(string caseId) =>
        (await system.Redis.GetDatabase().StreamRangeAsync(QuoteOutbox.Pending))
        .Select(entry => (byte[])entry[HandOffField.Body]!)
        .FirstOrDefault(body => ScheduleInspectionRequest.Parser.ParseFrom(body).CaseId == caseId);

    private Task<(LeaseTerms Terms, ReturnCase Case)> ReturnAsync(
        bool matured, string state = "OH", ReturnDisposition disposition = ReturnDisposition.LesseeReturn, Metadata? dealer = null) =>
        system.ReturnAsync(DealerId, matured, state, disposition, dealer);

    /// <summary>Refused without the matching document (by the grounding dealer) and to anyone else, then released once with it.</summary>
    private async Task ReleaseExactlyOnceAsync(PickupOrder pickup, string document)
    {
        ReleaseVehicleRequest Release(string documentId) => new() { RequestId = NewId(), OrderId = pickup.OrderId, DocumentId = documentId };
        var wrong = await Assert.ThrowsAsync<RpcException>(() => system.Transport.ReleaseVehicleAsync(Release("POS-0000000000000000WRONG"), Dealer).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => system.Transport.ReleaseVehicleAsync(Release(""), Dealer).ResponseAsync);
        var otherDealer = await Assert.ThrowsAsync<RpcException>(() => system.Transport.ReleaseVehicleAsync(Release(document), system.As("D-999", RoleNames.GroundingDealer)).ResponseAsync);
        var unchanged = await system.Transport.GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = pickup.OrderId }, system.Center);

        var released = await system.Transport.ReleaseVehicleAsync(Release(document), Dealer);
        var again = await Assert.ThrowsAsync<RpcException>(() => system.Transport.ReleaseVehicleAsync(Release(document), Dealer).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.InvalidArgument, StatusCode.NotFound), (wrong.StatusCode, missing.StatusCode, otherDealer.StatusCode));
        Assert.NotEqual(PickupOrderState.Released, unchanged.State);
        Assert.Equal(1, unchanged.RefusedReleaseCount);
        Assert.Equal(PickupOrderState.Released, released.State);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    private async Task NoOrderAsync(string caseId)
    {
        var orders = await system.Inspection.ListInspectionOrdersAsync(new ListInspectionOrdersRequest { Page = new() { PageSize = 200 } }, system.Center);
        Assert.DoesNotContain(orders.Orders, order => order.CaseId == caseId);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
