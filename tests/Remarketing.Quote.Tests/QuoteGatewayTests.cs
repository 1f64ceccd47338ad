using Grpc.Core;
using Remarketing.Contracts.Common.V1;

namespace Remarketing.Quote.Tests;

/// <summary>The Quote operations through the gateway, each in the roles the table in docs/calling.md gives it.</summary>
[Trait("Category", "System")]
public sealed class QuoteGatewayTests(QuoteSystemFixture fixture) : IClassFixture<QuoteSystemFixture>
{
    private QuoteService.QuoteServiceClient Client => fixture.Client;

    private Metadata As(string subject, string role) => fixture.System.Tokens.Bearer(subject, role);

    private Metadata Center => As("RC-1", RoleNames.Remarketing);

    private Metadata Dealer => As("D-100", RoleNames.GroundingDealer);

    /// <summary>The Inspection service calling Quote directly with its own token, as its hand-off will.</summary>
    private QuoteService.QuoteServiceClient FromInspection => new(fixture.System.ServiceChannel("quote"));

    /// <summary>A 36-month lease <paramref name="monthsIn"/> months in, on the system's own clock (the real one: these tests run real processes).</summary>
    private async Task<(LeaseTerms Terms, DateOnly Today)> OpenLeaseAsync(int monthsIn = 24)
    {
        var clock = await new ClockService.ClockServiceClient(fixture.System.GatewayChannel()).GetClockAsync(new GetClockRequest(), Center);
        var today = DateOnly.FromDateTime(clock.Now.ToDateTime());
        var terms = TestLeaseEnd.Terms(start: today.AddMonths(-monthsIn).AddDays(-3));
        await SampleLease.FranchiseAsync(Client, Center, "D-100", terms.Make);
        await Client.CreateLeaseAccountAsync(TestLeaseEnd.Create(terms), Center);
        return (terms, today);
    }

    private static async Task<RpcException> RefusedAsync(StatusCode expected, Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, failure.StatusCode);
        return failure;
    }

    [Fact]
    public async Task LesseeBuyout_IsRecordedByTheCenter_NeverByADealer()
    {
        var (terms, today) = await OpenLeaseAsync(monthsIn: 36);
        var payoff = await Client.GetQuoteAsync(new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout }, Center);
        var buyout = new CompleteLesseeBuyoutRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(),
            AccountId = terms.AccountId,
            PurchaseDate = ProtoViews.ToProto(today),
            PaymentReceivedCents = payoff.TotalCents,
        };

        await RefusedAsync(StatusCode.PermissionDenied, async () => await Client.CompleteLesseeBuyoutAsync(buyout, Dealer));
        await RefusedAsync(StatusCode.PermissionDenied, async () => await Client.RecordTotalLossAsync(
            new RecordTotalLossRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, LossDate = ProtoViews.ToProto(today), InsuranceClaimId = "C", InsurerPaymentCents = 1 }, Dealer));
        var stillOpen = await Client.GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = terms.AccountId }, Center);
        var bought = await Client.CompleteLesseeBuyoutAsync(buyout, Center);
        var retried = await Client.CompleteLesseeBuyoutAsync(buyout, Center);

        Assert.Equal(AccountState.Active, stillOpen.State);
        Assert.Equal((AccountState.Closed, LeaseEndingKind.LesseeBuyout), (bought.State, bought.Ending.Kind));
        Assert.Equal(bought, retried);
    }

    [Fact]
    public async Task LeaseEnd_ThroughTheGateway_FromReturnToPreSaleLetter()
    {
        var (terms, today) = await OpenLeaseAsync();

        var quote = await Client.GetQuoteAsync(new GetQuoteRequest { AccountId = terms.AccountId, Vin = terms.Vin, Kind = QuoteKind.DealerPurchaseForInventory }, Dealer);
        var returned = await Client.NotifyReturnAsync(TestLeaseEnd.Return(terms, today, 30_000), Dealer);
        var seen = await Client.GetReturnCaseAsync(new GetReturnCaseRequest { CaseId = returned.CaseId }, Dealer);
        var inspected = await FromInspection.RecordInspectionResultAsync(new RecordInspectionResultRequest
        {
            RequestId = TestLeaseEnd.NewRequestId(),
            CaseId = returned.CaseId,
            ConditionReportId = "CR-1",
            OdometerMiles = 30_050,
            ExcessWear = { new ExcessWearItem { Description = "rear bumper", ChargeCents = 150_00 } },
        }, fixture.System.Tokens.Service("inspection"));
        var letters = await Client.ListLettersAsync(new ListLettersRequest { AccountId = terms.AccountId }, Center);
        var settlement = await Client.GetSettlementAsync(new GetSettlementRequest { CaseId = returned.CaseId }, Center);

        Assert.Equal(TerminationType.Early, quote.TerminationType);
        Assert.Equal(quote.LineItems.Sum(line => line.AmountCents), quote.TotalCents);
        Assert.Equal("D-100", seen.GroundingDealerId);
        Assert.Equal(ReturnCaseState.Inspected, inspected.State);
        Assert.Equal([LetterKind.OdometerStatement, LetterKind.EarlyTerminationPreSale], letters.Letters.Select(letter => letter.Kind));
        Assert.False(settlement.Final);
    }

    [Fact]
    public async Task RepeatedRequestId_ThroughTheGateway_ReturnsTheFirstAnswer()
    {
        // Near its end: an extension is granted only within 120 days of it.
        var (terms, _) = await OpenLeaseAsync(monthsIn: 35);
        var request = new ExtendLeaseRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = 10 };

        var first = await Client.ExtendLeaseAsync(request, Center);
        var again = await Client.ExtendLeaseAsync(request, Center);

        Assert.Equal(first, again);
        Assert.Single((await Client.GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = terms.AccountId }, Center)).Extensions);
    }

    [Fact]
    public async Task WrongRoles_ArePermissionDenied()
    {
        var (terms, today) = await OpenLeaseAsync();

        await RefusedAsync(StatusCode.PermissionDenied, () => Client.NotifyReturnAsync(TestLeaseEnd.Return(terms, today, 30_000), As("D-9", RoleNames.Buyer)).ResponseAsync);
        await RefusedAsync(StatusCode.PermissionDenied, () => Client.CreateLeaseAccountAsync(TestLeaseEnd.Create(TestLeaseEnd.Terms()), Dealer).ResponseAsync);
        await RefusedAsync(StatusCode.PermissionDenied, () => Client.RecordAuctionResultAsync(
            new RecordAuctionResultRequest { RequestId = "r", CaseId = "C", ListingId = "L", Sold = false }, Dealer).ResponseAsync);
        await RefusedAsync(StatusCode.PermissionDenied, () => Client.RecordInspectionResultAsync(
            new RecordInspectionResultRequest { RequestId = "r", CaseId = "C", ConditionReportId = "CR", OdometerMiles = 30_000 }, Center).ResponseAsync);
        var buyout = await RefusedAsync(StatusCode.PermissionDenied, () => Client.GetQuoteAsync(
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout }, Dealer).ResponseAsync);
        await RefusedAsync(StatusCode.Unauthenticated, () => Client.GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = terms.AccountId }).ResponseAsync);

        Assert.Contains("between the lender and the lessee", buyout.Status.Detail);
    }

    [Fact]
    public async Task BadInput_GetsAStatusAPersonCanActOn_AndChangesNothing()
    {
        var badVin = TestLeaseEnd.Terms() with { Vin = "1HGCV1F31PA000000" };

        var vin = await RefusedAsync(StatusCode.InvalidArgument, () => Client.CreateLeaseAccountAsync(TestLeaseEnd.Create(badVin), Center).ResponseAsync);
        var unknown = await RefusedAsync(StatusCode.NotFound, () => Client.GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = badVin.AccountId }, Center).ResponseAsync);

        Assert.Contains("fails its check digit", vin.Status.Detail);
        Assert.Equal($"no lease account {badVin.AccountId}", unknown.Status.Detail);
    }

    [Fact]
    public async Task RetailFinancingCheck_IsOpenToBuyingDealers()
    {
        var eligibility = await Client.CheckRetailFinancingAsync(new CheckRetailFinancingRequest
        {
            ModelYear = 2017,
            OdometerMiles = 120_000,
            Inception = new Date { Year = 2026, Month = 11, Day = 24 },
        }, As("D-9", RoleNames.Buyer));

        Assert.True(eligibility.Eligible);
    }
}
