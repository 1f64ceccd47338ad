using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Quote.Domain;

/// <summary>
/// Every lease-end figure (DESIGN section 3), as plain functions of the lease terms and what is
/// known of the return. Nothing here reads a clock or a store.
/// </summary>
public static class LeaseEndCalculator
{
    public static long MilesDriven(LeaseTerms terms, long odometerMiles) => odometerMiles - terms.StartingOdometerMiles;

    /// <summary>Excess miles = max(0, miles driven - the allowance through <paramref name="end"/> - purchased additional miles).</summary>
    public static long ExcessMiles(LeaseTerms terms, long odometerMiles, DateOnly end) =>
        Math.Max(0, MilesDriven(terms, odometerMiles) - terms.AllowedMilesThrough(end) - terms.PurchasedAdditionalMiles);

    /// <summary>Purchased additional miles the lessee did not drive (of the whole term: they are refunded only at normal maturity).</summary>
    public static long UnusedPurchasedMiles(LeaseTerms terms, long odometerMiles) =>
        Math.Clamp(terms.AllowedMilesForTerm + terms.PurchasedAdditionalMiles - MilesDriven(terms, odometerMiles), 0, terms.PurchasedAdditionalMiles);

    /// <summary>
    /// The excess-mileage charge of a lease that ends on <paramref name="end"/> (on an early
    /// termination the yearly allowance is prorated to the months elapsed) and, on a
    /// normal-maturity return only, the refund of unused purchased miles (never on an early
    /// termination, a purchase or a total loss).
    /// </summary>
    public static IEnumerable<Line> Mileage(LeaseTerms terms, long odometerMiles, DateOnly end, bool normalMaturityReturn, bool estimated = false)
    {
        var excess = ExcessMiles(terms, odometerMiles, end);
        if (excess > 0 && terms.ExcessMileageRateCentsPerMile > 0)
        {
            var allowed = terms.AllowedMilesThrough(end);
            var allowance = end >= terms.MaturityDate
                ? $"{allowed:N0} allowed"
                : $"{allowed:N0} allowed for {terms.MonthsElapsed(end)} of {terms.TermMonths} months";
            yield return new Line("excess_mileage",
                $"Excess mileage: {excess:N0} mi x {Cents.Format(terms.ExcessMileageRateCentsPerMile)} " +
                $"({MilesDriven(terms, odometerMiles):N0} mi driven; {allowance} + {terms.PurchasedAdditionalMiles:N0} purchased)",
                excess * terms.ExcessMileageRateCentsPerMile, estimated);
        }

        var unused = UnusedPurchasedMiles(terms, odometerMiles);
        if (normalMaturityReturn && unused > 0 && terms.PurchasedMilePriceCents > 0)
        {
            yield return new Line("unused_purchased_miles",
                $"Refund of unused purchased miles: {unused:N0} mi x {Cents.Format(terms.PurchasedMilePriceCents)}",
                -unused * terms.PurchasedMilePriceCents, estimated);
        }
    }

    /// <summary>
    /// The early-termination payoff as of <paramref name="asOf"/> (the return date): the lease
    /// balance after the last payment made (the remaining payments less the unearned rent charges,
    /// actuarial method, plus the residual), plus the rent charge accrued per day from that payment
    /// to <paramref name="asOf"/>, plus <paramref name="fee"/>.
    /// </summary>
    public static (IReadOnlyList<Line> Lines, long PayoffCents) EarlyTerminationPayoff(LeaseTerms terms, DateOnly asOf, Line? fee)
    {
        var paid = terms.PaymentsDueBy(asOf);
        var remaining = terms.TermMonths - paid;
        var lastPayment = terms.StartDate.AddMonths(Math.Max(paid - 1, 0));
        var nextPayment = terms.StartDate.AddMonths(paid);
        var daysSince = asOf.DayNumber - lastPayment.DayNumber;
        var daysInPeriod = nextPayment.DayNumber - lastPayment.DayNumber;
        var (balance, accrued) = Actuarial.BalanceAfterLastPayment(terms, remaining, daysSince, daysInPeriod);
        var remainingPayments = remaining * terms.MonthlyPaymentCents;
        var unearnedRent = remainingPayments + terms.PurchaseOptionPriceCents - balance;
        List<Line> lines =
        [
            new("remaining_payments", $"Remaining payments: {remaining} x {Cents.Format(terms.MonthlyPaymentCents)}", remainingPayments),
            new("unearned_rent_charges", "Less unearned rent charges (actuarial method)", -unearnedRent),
            new("residual_value", "Residual value (the purchase option price in the lease)", terms.PurchaseOptionPriceCents),
        ];
        if (accrued > 0)
        {
            lines.Add(new Line("rent_charge_accrued",
                $"Rent charge accrued: {daysSince} of the {daysInPeriod} days since the payment of {lastPayment:yyyy-MM-dd}", accrued));
        }
        if (fee is { AmountCents: > 0 })
            lines.Add(fee);
        return (lines, lines.Sum(line => line.AmountCents));
    }

    /// <summary>
    /// The early-termination charge of a returned vehicle = payoff - realized value. Before the
    /// sale the realized value is estimated at the residual (the lease's own projection of the
    /// vehicle's value), labelled as such: a vehicle returned early is usually worth more, so the
    /// estimate errs on the side of telling the lessee more, never less. The charge is never below
    /// zero: realized value above the payoff is not credited.
    /// </summary>
    public static EarlyTermination EarlyTerminationCharge(LeaseTerms terms, DateOnly returnDate, long? salePriceCents)
    {
        var (payoffLines, payoff) = EarlyTerminationPayoff(terms, returnDate, DispositionFee(terms));
        var realized = salePriceCents ?? terms.PurchaseOptionPriceCents;
        var applied = Math.Min(realized, payoff);
        var description = salePriceCents is null
            ? $"Less realized value, estimated at the residual {Cents.Format(realized)} until the vehicle sells (the sale price replaces it)"
            : $"Less realized value: sale price {Cents.Format(realized)}";
        if (realized > payoff)
            description += $"; applied up to the payoff, the {Cents.Format(realized - payoff)} above it is not credited";
        var realizedLine = new Line("realized_value", description, -applied, Estimated: salePriceCents is null);
        return new EarlyTermination([.. payoffLines, realizedLine], payoff, payoff - applied);
    }

    /// <summary>Sales tax on <paramref name="taxableCents"/> at the lease's rate, rounded half up to the cent.</summary>
    public static Line? SalesTax(LeaseTerms terms, long taxableCents, string taxedWhat)
    {
        var tax = RoundedShare(taxableCents, terms.SalesTaxRateBasisPoints, 10_000);
        return tax > 0
            ? new Line("sales_tax", $"Sales tax {terms.SalesTaxRateBasisPoints / 100m:0.00##}% on {taxedWhat} ({Cents.Format(taxableCents)})", tax)
            : null;
    }

    /// <summary>
    /// Past-due amounts, unpaid personal property tax and the daily fees of the extension days used
    /// by a lease that ends on <paramref name="leaseEnd"/>: owed at every lease end.
    /// </summary>
    public static IEnumerable<Line> AmountsDue(LeaseAccountRecord account, DateOnly leaseEnd)
    {
        var terms = account.Terms;
        if (terms.PastDueCents > 0)
            yield return new Line("past_due", "Past-due amounts", terms.PastDueCents);
        if (terms.UnpaidPersonalPropertyTaxCents > 0)
            yield return new Line("personal_property_tax", "Unpaid personal property tax", terms.UnpaidPersonalPropertyTaxCents);
        var (days, fees) = ExtensionDaysUsed(account, leaseEnd);
        if (fees > 0)
        {
            yield return new Line("extension_fees",
                days == account.ExtensionDays
                    ? $"Daily extension fees: {days} days"
                    : $"Daily extension fees: {days} of the {account.ExtensionDays} days granted (days not used are not charged)",
                fees);
        }
    }

    /// <summary>
    /// The extension days a lease ending on <paramref name="leaseEnd"/> used, and their daily fees:
    /// for each extension, the days from the end it moved (the maturity date, or the previous
    /// extension's end) to <paramref name="leaseEnd"/>, at most the days it granted. A lease that
    /// ends before an extension starts uses none of it.
    /// </summary>
    public static (int Days, long FeeCents) ExtensionDaysUsed(LeaseAccountRecord account, DateOnly leaseEnd)
    {
        var days = 0;
        var fees = 0L;
        foreach (var extension in account.Extensions)
        {
            var movedFrom = extension.NewMaturityDate.AddDays(-extension.Days);
            var used = Math.Clamp(leaseEnd.DayNumber - movedFrom.DayNumber, 0, extension.Days);
            days += used;
            fees += RoundedShare(extension.FeeCents, used, extension.Days);
        }
        return (days, fees);
    }

    public static Line? DispositionFee(LeaseTerms terms) =>
        terms.DispositionFeeCents > 0 ? new Line("disposition_fee", "Disposition fee", terms.DispositionFeeCents) : null;

    public static Line SecurityDepositCredit(LeaseTerms terms, string when) =>
        new("security_deposit", $"Security deposit {when}", -terms.SecurityDepositCents);

    /// <summary>amount x numerator / denominator, rounded half away from zero, in whole cents.</summary>
    public static long RoundedShare(long amount, long numerator, long denominator) =>
        (long)Math.Round((decimal)amount * numerator / denominator, MidpointRounding.AwayFromZero);
}
