using Google.Protobuf;

namespace Remarketing.Quote.Tests;

/// <summary>
/// What a grounding dealer can reach: an account only for a vehicle it holds (the VIN on the lease
/// with the account number) or whose return it notified, in a view without the lessee's money
/// figures, and never the lessee buyout.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class DealerAccessTests(RedisConnectionFixture redis)
{
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
    public async Task ADealer_HoldingTheVehicle_SeesTheAccountWithoutTheLesseesMoneyFigures()
    {
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.EndingSoon()));
        await _lease.Desk.ExtendLeaseAsync(TestLeaseEnd.Center, new ExtendLeaseRequest { RequestId = TestLeaseEnd.NewRequestId(), AccountId = terms.AccountId, Days = 10 });

        var seen = await _lease.Desk.GetAccountAsync(TestLeaseEnd.Dealer, new GetLeaseAccountRequest { AccountId = terms.AccountId, Vin = terms.Vin.ToLowerInvariant() });
        var full = await _lease.AccountAsync(terms.AccountId);

        Assert.True(seen.DealerView);
        Assert.False(full.DealerView);
        Assert.Equal(full.Terms.Vehicle, seen.Terms.Vehicle);
        Assert.Equal(full.Terms.MaturityDate, seen.Terms.MaturityDate);
        Assert.Equal(full.Terms.AllowedMilesPerYear, seen.Terms.AllowedMilesPerYear);
        Assert.Equal(full.Terms.ExcessMileageRateCentsPerMile, seen.Terms.ExcessMileageRateCentsPerMile);
        Assert.Equal(full.ScheduledEndDate, seen.ScheduledEndDate);
        Assert.Equal(
            (0L, 0L, 0L, 0L, 0L, 0L, 0, 0L),
            (seen.Terms.MonthlyPaymentCents, seen.Terms.AdjustedCapitalizedCostCents, seen.Terms.PurchaseOptionPriceCents, seen.Terms.SecurityDepositCents,
             seen.Terms.PastDueCents, seen.Terms.UnpaidPersonalPropertyTaxCents, seen.Terms.SalesTaxRateBasisPoints, seen.Extensions.Single().FeeCents));
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
        Assert.DoesNotContain(dealerSees.SelectMany(AllNumbers), secrets.Contains);
    }

    [Fact]
    public async Task ADealersQuotesAndOptions_ShowTheSameTotals_WithoutTheLesseesPaymentFeeOrTaxRate()
    {
        // $420.00 a month, $30.00 a day to extend, 6.25% sales tax: the lessee's figures.
        var terms = await _lease.OpenNewAsync(TestLeaseEnd.WithCharges(TestLeaseEnd.Terms()));
        var kinds = new[] { QuoteKind.DealerPurchaseForLessee, QuoteKind.DealerPurchaseForInventory, QuoteKind.LesseeReturn };
        var centers = new List<IMessage>();
        var dealers = new List<IMessage>();
        foreach (var kind in kinds)
        {
            centers.Add(await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Center, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, OdometerMiles = 24_000 }));
            dealers.Add(await _lease.Desk.GetQuoteAsync(TestLeaseEnd.Dealer, new GetQuoteRequest { AccountId = terms.AccountId, Kind = kind, Vin = terms.Vin, OdometerMiles = 24_000 }));
        }
        var centersOptions = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Center,
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000 });
        var dealersOptions = await _lease.Desk.CompareEarlyTerminationOptionsAsync(TestLeaseEnd.Dealer,
            new CompareEarlyTerminationOptionsRequest { AccountId = terms.AccountId, OdometerMiles = 24_000, Vin = terms.Vin });
        dealers.Add(dealersOptions);

        var seen = string.Join("\n", dealers.Select(message => message.ToString()));
        Assert.DoesNotContain("$420.00", seen);
        Assert.DoesNotContain("$30.00", seen);
        Assert.DoesNotContain("6.25", seen);
        Assert.DoesNotContain(dealers.SelectMany(AllNumbers), number => number is 420_00 or 30_00 or 625);
        Assert.Equal(centers.Cast<Contracts.Quote.V1.Quote>().Select(quote => (quote.QuoteId, quote.TotalCents)),
            dealers.Take(3).Cast<Contracts.Quote.V1.Quote>().Select(quote => (quote.QuoteId, quote.TotalCents)));
        Assert.All(dealers.Take(3).Cast<Contracts.Quote.V1.Quote>(), quote => Assert.Equal(quote.TotalCents, quote.LineItems.Sum(line => line.AmountCents)));
        Assert.Equal(centersOptions.Options.Where(option => option.Kind != EarlyTerminationOptionKind.BuyNow).Select(option => option.TotalCents),
            dealersOptions.Options.Select(option => option.TotalCents));
    }

    /// <summary>Every integer anywhere in a message, nested messages and repeated fields included.</summary>
    private static IEnumerable<long> AllNumbers(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<object>() : [value];
            foreach (var item in values)
            {
                switch (item)
                {
                    case long number:
                        yield return number;
                        break;
                    case IMessage nested:
                        foreach (var inner in AllNumbers(nested))
                            yield return inner;
                        break;
                }
            }
        }
    }
}
