using Remarketing.Quote.Domain;
using static Remarketing.Quote.Domain.LeaseEndCalculator;

namespace Remarketing.Quote.Tests;

/// <summary>The lease-end figures as plain functions: exact cents, table-driven, boundaries included.</summary>
public sealed class CalculatorTests
{
    private static readonly LeaseTerms Lease = TestLeaseEnd.Terms();

    [Theory]
    // (30,000 - 24,000 miles) x $0.20 = $1,200.00: the example in the issue.
    [InlineData(0, 30_000, 12_000, 24, 0, 20, 1_200_00)]
    [InlineData(0, 24_000, 12_000, 24, 0, 20, 0)]
    [InlineData(0, 24_001, 12_000, 24, 0, 20, 20)]
    [InlineData(0, 20_000, 12_000, 24, 0, 20, 0)]
    // Miles driven count from the starting odometer.
    [InlineData(12, 30_012, 12_000, 24, 0, 20, 1_200_00)]
    // Purchased additional miles widen the allowance.
    [InlineData(0, 30_000, 12_000, 24, 5_000, 20, 200_00)]
    // 10,000 a year for 13 months is 10,833.33 miles, rounded up in the lessee's favour to 10,834.
    [InlineData(0, 11_000, 10_000, 13, 0, 25, 41_50)]
    public void ExcessMileage_IsMilesOverAllowedAndPurchased_TimesTheRate(
        long startingOdometer, long odometer, long perYear, int months, long purchased, long rateCents, long expectedCents)
    {
        var terms = TestLeaseEnd.Terms(months: months) with
        {
            StartingOdometerMiles = startingOdometer,
            AllowedMilesPerYear = perYear,
            PurchasedAdditionalMiles = purchased,
            ExcessMileageRateCentsPerMile = rateCents,
        };

        var lines = Mileage(terms, odometer, terms.MaturityDate, normalMaturityReturn: false).ToList();

        Assert.Equal(expectedCents, lines.Where(line => line.Code == "excess_mileage").Sum(line => line.AmountCents));
    }

    [Fact]
    public void ExcessMileage_OnAnEarlyTermination_ProratesTheYearlyAllowanceToTheMonthsElapsed_PurchasedMilesWhole()
    {
        // 12,000 mi a year on a 36-month lease ended after 23 whole months: 23,000 mi allowed (not
        // 36,000), plus the 2,000 bought; 30,000 driven is 5,000 over, at $0.20: $1,000.00.
        var terms = TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10)) with { PurchasedAdditionalMiles = 2_000, PurchasedMilePriceCents = 15 };
        var end = new DateOnly(2025, 12, 20);

        var line = Assert.Single(Mileage(terms, terms.StartingOdometerMiles + 30_000, end, normalMaturityReturn: false));

        Assert.Equal((23, 23_000L), (terms.MonthsElapsed(end), terms.AllowedMilesThrough(end)));
        Assert.Equal(1_000_00, line.AmountCents);
        Assert.Equal("Excess mileage: 5,000 mi x $0.20 (30,000 mi driven; 23,000 allowed for 23 of 36 months + 2,000 purchased)", line.Description);
    }

    [Fact]
    public void ExcessMileage_DescribesTheMilesAndTheRate()
    {
        var terms = TestLeaseEnd.Terms(months: 24);

        var line = Assert.Single(Mileage(terms, 30_000, terms.MaturityDate, normalMaturityReturn: false));

        Assert.Equal("Excess mileage: 6,000 mi x $0.20 (30,000 mi driven; 24,000 allowed + 0 purchased)", line.Description);
    }

    [Theory]
    [InlineData(true, -450_00)]
    [InlineData(false, 0)]
    public void UnusedPurchasedMiles_AreRefundedOnlyOnANormalMaturityReturn(bool normalMaturity, long expectedRefundCents)
    {
        // 24,000 allowed + 5,000 bought at $0.15; 26,000 driven leaves 3,000 bought miles unused.
        var terms = TestLeaseEnd.Terms(months: 24) with { PurchasedAdditionalMiles = 5_000, PurchasedMilePriceCents = 15 };

        var lines = Mileage(terms, 26_000, terms.MaturityDate, normalMaturity).ToList();

        Assert.Equal(expectedRefundCents, lines.Where(line => line.Code == "unused_purchased_miles").Sum(line => line.AmountCents));
        Assert.DoesNotContain(lines, line => line.Code == "excess_mileage");
    }

    [Theory]
    [InlineData(20_000, 5_000)]
    [InlineData(24_000, 5_000)]
    [InlineData(27_500, 1_500)]
    [InlineData(29_000, 0)]
    [InlineData(35_000, 0)]
    public void UnusedPurchasedMiles_AreThePurchasedMilesNotDriven(long odometer, long expectedUnused)
    {
        var terms = TestLeaseEnd.Terms(months: 24) with { PurchasedAdditionalMiles = 5_000, PurchasedMilePriceCents = 15 };

        Assert.Equal(expectedUnused, UnusedPurchasedMiles(terms, odometer));
    }

    [Theory]
    // Payoff $16,000.00 - realized value $14,000.00 = charge $2,000.00: the example in the issue.
    [InlineData(14_000_00, 2_000_00)]
    [InlineData(16_000_00, 0)]
    // Realized value above the payoff is not credited: the charge is never below zero.
    [InlineData(17_000_00, 0)]
    [InlineData(1, 15_999_99)]
    public void EarlyTerminationCharge_IsPayoffLessRealizedValue(long salePriceCents, long expectedChargeCents)
    {
        // No rent charge (payments + residual = capitalized cost), so the payoff after 24 of 36
        // payments is simply 12 x $500.00 + the $10,000.00 residual = $16,000.00.
        var terms = TestLeaseEnd.Terms() with { MonthlyPaymentCents = 500_00, PurchaseOptionPriceCents = 10_000_00, AdjustedCapitalizedCostCents = 28_000_00 };

        var termination = EarlyTerminationCharge(terms, new DateOnly(2026, 11, 24), salePriceCents);

        Assert.Equal(16_000_00, termination.PayoffCents);
        Assert.Equal(expectedChargeCents, termination.ChargeCents);
        Assert.Equal(expectedChargeCents, termination.Lines.Sum(line => line.AmountCents));
        Assert.DoesNotContain(termination.Lines, line => line.Estimated);
    }

    [Fact]
    public void EarlyTerminationPayoff_IsTheBalanceAfterTheLastPaymentMade_PlusRentAccruedPerDayToTheReturnDate()
    {
        // The expected figures come from an independent 60-digit computation of the same lease:
        // implicit rate 0.3629719113% a month. Returned 2026-11-24: the last payment made was
        // 2026-11-15 (the 24th), 12 remain. The balance right after it is the present value then of
        // the 12 payments (from 2026-12-15) and the residual: $22,094.92. Rent accrued on it for 9
        // of the 30 days to the next payment: $22,094.92 x 0.3629719% x 9 / 30 = $24.06.
        var (lines, payoff) = EarlyTerminationPayoff(Lease, new DateOnly(2026, 11, 24), fee: null);

        Assert.Equal(22_118_98, payoff);
        Assert.Equal(
            [("remaining_payments", 5_040_00), ("unearned_rent_charges", -945_08), ("residual_value", 18_000_00), ("rent_charge_accrued", 24_06)],
            lines.Select(line => (line.Code, line.AmountCents)));
        Assert.Equal("Rent charge accrued: 9 of the 30 days since the payment of 2026-11-15", lines[^1].Description);
    }

    [Fact]
    public void EarlyTerminationPayoff_OnAPaymentDate_IsTheBalanceAfterThatPayment_NotAtTheNextOne()
    {
        // The lease: $30,000.00 capitalized, $18,000.00 residual, 36 x $400.00. Returned the
        // day the 23rd payment is made, 13 left: the balance after it, $22,410.36, not the
        // $22,472.96 the balance reads a payment later (before that payment) - $62.60 too high.
        var terms = Lease with { MonthlyPaymentCents = 400_00 };
        var returned = terms.StartDate.AddMonths(22);

        var (lines, payoff) = EarlyTerminationPayoff(terms, returned, fee: null);

        Assert.Equal("Remaining payments: 13 x $400.00", lines[0].Description);
        Assert.Equal(22_410_36, payoff);
        Assert.Equal(62_60, Actuarial.AdjustedLeaseBalanceCents(terms, 13) - payoff);
        Assert.DoesNotContain(lines, line => line.Code == "rent_charge_accrued");
    }

    [Theory]
    [InlineData(36, 30_000_00)]
    [InlineData(12, 22_175_12)]
    [InlineData(1, 18_354_90)]
    [InlineData(0, 18_000_00)]
    public void AdjustedLeaseBalance_IsThePresentValueOfWhatRemains(int remainingPayments, long expectedCents)
    {
        Assert.Equal(expectedCents, Actuarial.AdjustedLeaseBalanceCents(Lease, remainingPayments));
    }

    [Fact]
    public void EarlyTerminationPayoff_CountsPaymentsDueOnOrBeforeTheDate()
    {
        // Payment 24 falls due 2026-12-15: the day before, 12 remain; on the day, 11.
        var before = EarlyTerminationPayoff(Lease, new DateOnly(2026, 12, 14), fee: null);
        var on = EarlyTerminationPayoff(Lease, new DateOnly(2026, 12, 15), fee: null);

        Assert.Equal("Remaining payments: 12 x $420.00", before.Lines[0].Description);
        Assert.Equal("Remaining payments: 11 x $420.00", on.Lines[0].Description);
        Assert.True(on.PayoffCents < before.PayoffCents);
    }

    [Fact]
    public void EarlyTerminationCharge_BeforeTheSale_IsAnEstimateLabelledAsSuch()
    {
        var termination = EarlyTerminationCharge(Lease, new DateOnly(2026, 11, 24), salePriceCents: null);

        var realized = Assert.Single(termination.Lines, line => line.Code == "realized_value");
        Assert.True(realized.Estimated);
        // Estimated at the $18,000.00 residual: the charge is the payoff's $4,118.98 above it.
        Assert.Equal(-18_000_00, realized.AmountCents);
        Assert.Contains("estimated", realized.Description);
        Assert.Equal(4_118_98, termination.ChargeCents);
    }

    [Fact]
    public void EarlyTerminationCharge_GrowsTheEarlierTheLeaseEnds()
    {
        var charges = Enumerable.Range(1, 35)
            .Select(month => EarlyTerminationCharge(Lease, Lease.StartDate.AddMonths(month), salePriceCents: null).ChargeCents)
            .ToList();

        Assert.Equal(charges.OrderByDescending(charge => charge), charges);
        Assert.Equal(charges.Count, charges.Distinct().Count());
    }

    [Theory]
    [InlineData(625, 1_200_00, 75_00)]
    // 6.25% of $12.34 is 77.125 cents: rounded to 77; of $12.40 it is 77.5: rounded half up to 78.
    [InlineData(625, 12_34, 77)]
    [InlineData(625, 12_40, 78)]
    [InlineData(0, 1_200_00, 0)]
    public void SalesTax_IsTheRateOnTheTaxedAmount_RoundedHalfUpToTheCent(int basisPoints, long taxable, long expected)
    {
        var terms = Lease with { SalesTaxRateBasisPoints = basisPoints };

        Assert.Equal(expected, SalesTax(terms, taxable, "excess mileage")?.AmountCents ?? 0);
    }

    [Theory]
    [InlineData(2017, 120_000, true)]
    // Exactly 10 model years old is not under 10.
    [InlineData(2016, 50_000, false)]
    [InlineData(2017, 120_001, false)]
    [InlineData(2016, 120_001, false)]
    [InlineData(2027, 10, true)]
    public void RetailFinancing_NeedsUnderTenModelYearsAndAtMost120000Miles(int modelYear, long miles, bool eligible)
    {
        var failures = RetailFinancing.Failures(modelYear, miles, new DateOnly(2026, 11, 24), maxModelYears: 10, maxOdometerMiles: 120_000);

        Assert.Equal(eligible, failures.Count == 0);
        Assert.Equal((modelYear <= 2016 ? 1 : 0) + (miles > 120_000 ? 1 : 0), failures.Count);
    }

    [Theory]
    [InlineData("2027-12-14", true)]
    [InlineData("2027-12-15", false)]
    [InlineData("2027-12-16", false)]
    public void TerminationType_BeforeMaturityIsEarly_OnOrAfterIsNormalMaturity(string returnDate, bool early)
    {
        Assert.Equal(early, Lease.IsEarlyTermination(DateOnly.Parse(returnDate)));
    }

    [Fact]
    public void LeaseTerms_RefuseAMaturityThatIsNotTheStartPlusTheTerm()
    {
        var problem = (Lease with { MaturityDate = Lease.MaturityDate.AddDays(1) }).Problem(new DateOnly(2026, 11, 24));

        Assert.Equal("the maturity date 2027-12-16 is not the start date plus 36 months (2027-12-15)", problem);
    }
}
