using Google.Protobuf;
using Remarketing.Quote.Domain;

namespace Remarketing.Quote.Tests;

/// <summary>
/// What a grounding dealer can reach: an account only for a vehicle it holds (the VIN on the lease
/// with the account number) or whose return it notified, in its role's view (no figure between the
/// lender and the lessee), quotes in the dealer's lines, and never the lessee buyout.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DealerAccessTests(RedisConnectionFixture redis)
{
    private static readonly string[] LesseesFiguresAsWritten = ["$420.00", "$18,000.00", "$0.20", "$0.15", "$30.00", "6.25", "$500.00", "$120.00", "$80.15"];

    private readonly TestLeaseEnd _lease = new(redis.Connection);

    [Fact]
    public async Task ADealer_WithoutTheVin_CannotReadAnAccount()
    {
        var terms = await _lease.OpenNewAsync();

        var refusal = await RefusedAsync(DomainErrorKind.InvalidArgument, () =>
            _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId }));

        Assert.Contains("vin is required", refusal.Message);
    }

    [Fact]
    public async Task ADealer_WithAnotherVehiclesVin_GetsTheSameAnswerAsForAnAccountThatDoesNotExist()
    {
        var terms = await _lease.OpenNewAsync();
        var otherVin = TestVins.Next();

        var wrongVin = await RefusedAsync(DomainErrorKind.NotFound, () =>
            _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = otherVin }));
        var noAccount = await RefusedAsync(DomainErrorKind.NotFound, () =>
            _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = "A-NOPE", Vin = otherVin }));

        Assert.Equal(wrongVin.Message.Replace(terms.AccountId, "?"), noAccount.Message.Replace("A-NOPE", "?"));
    }

    [Fact]
    public async Task ADealer_HoldingTheVehicle_SeesTheAccountsVehicleDatesAndMileageAllowance_NothingBetweenTheLenderAndTheLessee()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.EndingSoon()));
        await _lease.Desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = 10 });

        var seen = await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin.ToLowerInvariant() });
        var full = await _lease.AccountAsync(terms.AccountId);

        Assert.True(seen.DealerView);
        Assert.False(full.DealerView);
        Assert.Equal(
            (full.Terms.Vehicle, full.Terms.MaturityDate, full.Terms.AllowedMilesPerYear, full.ScheduledEndDate),
            (seen.Terms.Vehicle, seen.Terms.MaturityDate, seen.Terms.AllowedMilesPerYear, seen.ScheduledEndDate));
        // The per-mile rate and the extension (with its fee) were in the dealer's view.
        Assert.Equal((0L, 0L, 0), (seen.Terms.ExcessMileageRateCentsPerMile, seen.Terms.ExtensionDailyFeeCents, seen.Extensions.Count));
        Assert.Empty(ViewChecks.Outside(CallerViews.GroundingDealer, seen));
        Assert.Contains($"{LeaseAccount.Descriptor.FullName}.terms.monthly_payment_cents", ViewChecks.Outside(CallerViews.GroundingDealer, full));
    }

    [Fact]
    public async Task ADealer_ReachingAnAccountByItsVin_DoesNotLearnTheCaseAnotherDealerNotified()
    {
        var terms = await _lease.OpenNewAsync();
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 24_000);

        var seenByTheOther = await _lease.Desk.GetAccountAsync(TestLeaseEnd.OtherDealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin });
        var seenByItsDealer = await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId });

        Assert.Equal(("", returned.CaseId), (seenByTheOther.ReturnCaseId, seenByItsDealer.ReturnCaseId));
    }

    [Fact]
    public async Task TheDealerThatNotifiedTheReturn_SeesTheAccountWithoutTheVin_AnotherDealerDoesNot()
    {
        var terms = await _lease.OpenNewAsync();
        await _lease.NotifyAsync(terms, _lease.Today, 24_000);

        var seen = await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId });
        await RefusedAsync(DomainErrorKind.InvalidArgument, () =>
            _lease.Desk.GetAccountAsync(TestLeaseEnd.OtherDealer, new GetLeaseAccountRequest { AccountId = terms.AccountId }));

        Assert.True(seen.DealerView);
    }

    [Fact]
    public async Task ADealer_CannotNotifyAReturn_OfAVehicleItDoesNotHold_AndNothingChanges()
    {
        var terms = await _lease.OpenNewAsync();
        var request = TestLeaseEnd.Return(terms, _lease.Today, 24_000);
        request.Vin = TestVins.Next();

        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.OtherDealer, request));
        request.Vin = "";
        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.NotifyReturnAsync(TestLeaseEnd.OtherDealer, request));

        Assert.Equal(AccountState.Active, (await _lease.AccountAsync(terms.AccountId)).State);
    }

    [Fact]
    public async Task ADealersQuotesAndOptions_NeedTheVehicle()
    {
        var terms = await _lease.OpenNewAsync();

        await RefusedAsync(DomainErrorKind.InvalidArgument, () => _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.DealerPurchaseForInventory }));
        await RefusedAsync(DomainErrorKind.NotFound, () => _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Dealer,
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000, Vin = TestVins.Next() }));
        var quote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.DealerPurchaseForInventory, Vin = terms.Vin });

        Assert.True(quote.TotalCents > 0);
    }

    [Fact]
    public async Task TheLesseeBuyoutFigure_IsShownToADealerByNoOperation()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()));
        var buyoutQuote = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout });
        var buyoutWithDeposit = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout, ApplySecurityDeposit = true });
        var centersOptions = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center,
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000 });
        var secrets = new HashSet<long> { buyoutQuote.TotalCents, buyoutWithDeposit.TotalCents };

        var dealerSees = new List<IMessage>
        {
            await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin }),
            await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Dealer,
                new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000, Vin = terms.Vin }),
        };
        foreach (var kind in new[] { QuoteKind.DealerPurchaseForLessee, QuoteKind.DealerPurchaseForInventory, QuoteKind.LesseeReturn })
            dealerSees.Add(await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, Vin = terms.Vin, OdometerMiles = 24_000 }));
        var refused = await RefusedAsync(DomainErrorKind.PermissionDenied, () => _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer,
            new GetQuoteRequest { AccountId = terms.AccountId, Kind = QuoteKind.LesseeBuyout, Vin = terms.Vin }));
        var returned = await _lease.NotifyAsync(terms, _lease.Today, 24_000);
        dealerSees.Add(returned);
        dealerSees.Add(await _lease.Desk.GetReturnCaseAsync(TestLeaseEnd.Dealer, returned.CaseId));

        Assert.Contains(centersOptions.Options, option => option.Kind == EarlyTerminationOptionKind.BuyNow);
        Assert.DoesNotContain(((EarlyTerminationOptions)dealerSees[1]).Options, option => option.Kind == EarlyTerminationOptionKind.BuyNow);
        Assert.Contains("between the lender and the lessee", refused.Message);
        Assert.DoesNotContain(dealerSees.SelectMany(ViewChecks.AllNumbers), secrets.Contains);
    }

    /// <summary>
    /// Every quote a dealer may have, before maturity with one payment left and at maturity, and the
    /// calculator: the lender's totals and quote ids, in the lines of the dealer's view only, with
    /// none of the lessee's figures ($420.00 a month, the $18,000.00 residual but as the price of a
    /// purchase at maturity, 20 cents a mile,
    /// $30.00 a day to extend, 6.25% tax, the $500.00 deposit, $120.00 past due, $80.15 tax owed).
    /// </summary>
    [Fact]
    public async Task ADealersQuotesAndOptions_HoldTheLendersTotals_InTheDealersLinesOnly_WithNoneOfTheLesseesFigures()
    {
        var oneLeft = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.EndingSoon()) with { PurchasedAdditionalMiles = 3_000, PurchasedMilePriceCents = 15 });
        var matured = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.MaturingToday()) with { PurchasedAdditionalMiles = 3_000, PurchasedMilePriceCents = 15 });
        var seen = new List<IMessage>();
        var terminations = new HashSet<TerminationType>();
        foreach (var (terms, odometer) in new[] { (oneLeft, 40_000L), (matured, 20_000L) })
        {
            foreach (var kind in new[] { QuoteKind.DealerPurchaseForLessee, QuoteKind.DealerPurchaseForInventory, QuoteKind.LesseeReturn })
            {
                var centers = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, OdometerMiles = odometer });
                var dealers = await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, Vin = terms.Vin, OdometerMiles = odometer });
                var termination = centers.TerminationType == TerminationType.Early ? Termination.Early : Termination.NormalMaturity;
                var allowed = QuoteAccess.DealerQuoteLines[(ProtoViews.ToDomain(kind)!.Value, termination)].Select(line => line.Code);

                Assert.Equal((centers.QuoteId, centers.TotalCents), (dealers.QuoteId, dealers.TotalCents));
                Assert.Equal(dealers.TotalCents, dealers.LineItems.Sum(line => line.AmountCents));
                Assert.All(dealers.LineItems, line => Assert.Contains(line.Code, allowed));
                terminations.Add(centers.TerminationType);
                seen.Add(dealers);
            }
        }
        var centersOptions = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center,
            new CompareEarlyTerminationOptionsRequest { AccountId = oneLeft.AccountId, OdometerMiles = 40_000 });
        var dealersOptions = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Dealer,
            new CompareEarlyTerminationOptionsRequest { AccountId = oneLeft.AccountId, OdometerMiles = 40_000, Vin = oneLeft.Vin });
        seen.Add(dealersOptions);

        Assert.Equal([TerminationType.Early, TerminationType.NormalMaturity], terminations.Order());
        // Keeping and extending are the lessee's payments and fees: with one payment left, "remaining payments" was the monthly payment.
        Assert.Equal(
            centersOptions.Options.Where(option => option.Kind == EarlyTerminationOptionKind.ReturnNow).Select(option => (option.Kind, option.TotalCents)),
            dealersOptions.Options.Select(option => (option.Kind, option.TotalCents)));
        Assert.All(dealersOptions.Options.Single().LineItems,
            line => Assert.Contains(line.Code, QuoteAccess.DealerQuoteLines[(QuoteType.LesseeReturn, Termination.Early)].Select(dealerLine => dealerLine.Code)));
        Assert.All(seen, message => Assert.Empty(ViewChecks.Outside(CallerViews.GroundingDealer, message)));
        var text = string.Join("\n", seen.Select(message => message.ToString()));
        Assert.All(LesseesFiguresAsWritten, figure => Assert.DoesNotContain(figure, text));
        // At maturity a dealer purchase's price is the purchase option price (the residual): there, and only there, the dealer sees it.
        static bool PricedAtTheResidual(IMessage message) =>
            message is Contracts.Quote.V1.Quote { Kind: not QuoteKind.LesseeReturn, TerminationType: TerminationType.NormalMaturity };
        Assert.Empty(seen.SelectMany(message => ViewChecks.AllNumbers(message)
            .Where(number => number is 420_00 or 30_00 or 30 * 30_00 or 500_00 or -500_00 or 120_00 or 80_15 || (number == 18_000_00 && !PricedAtTheResidual(message)))
            .Select(number => $"{number} in {message}")));
    }
}
