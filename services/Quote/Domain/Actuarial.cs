namespace Remarketing.Quote.Domain;

/// <summary>
/// The actuarial method for a lease paid monthly in advance: the rent charge is the lease's
/// implicit monthly rate on the balance still owed. The adjusted lease balance after some
/// payments is the present value, at that rate, of the payments still due and of the residual;
/// the unearned rent charges are what the remaining payments and the residual hold above it.
/// Rates are decimal, never floating point; the balance is rounded once, to the cent.
/// </summary>
public static class Actuarial
{
    /// <summary>
    /// The monthly rate r at which the payments (the first on day one) and the residual are
    /// worth the adjusted capitalized cost: cap cost = P x sum(v^k, k = 0..n-1) + R x v^n, v = 1/(1+r).
    /// </summary>
    public static decimal ImplicitMonthlyRate(LeaseTerms terms)
    {
        if (PresentValue(terms, terms.TermMonths, 0m) <= terms.AdjustedCapitalizedCostCents)
            return 0m;

        // The present value falls as the rate rises: bisect between 0 and 100% a month.
        decimal low = 0m, high = 1m;
        for (var step = 0; step < 96; step++)
        {
            var middle = (low + high) / 2;
            if (PresentValue(terms, terms.TermMonths, middle) > terms.AdjustedCapitalizedCostCents)
                low = middle;
            else
                high = middle;
        }
        return (low + high) / 2;
    }

    /// <summary>
    /// The adjusted lease balance on a payment date, before that payment, when
    /// <paramref name="remainingPayments"/> are still due (the next one due now): the remaining
    /// payments less the unearned rent charges, plus the residual. At the start, the capitalized cost.
    /// </summary>
    public static long AdjustedLeaseBalanceCents(LeaseTerms terms, int remainingPayments) =>
        (long)Math.Round(PresentValue(terms, remainingPayments, ImplicitMonthlyRate(terms)), MidpointRounding.AwayFromZero);

    /// <summary>
    /// The early-termination balance: the adjusted lease balance right after the last payment
    /// made, when <paramref name="remainingPayments"/> are still due (the next a period later),
    /// and the rent charge accrued on it for the <paramref name="daysSincePayment"/> of the
    /// <paramref name="daysInPeriod"/> days of the period since that payment. Each rounded to the cent.
    /// </summary>
    public static (long BalanceCents, long AccruedRentCents) BalanceAfterLastPayment(LeaseTerms terms, int remainingPayments, int daysSincePayment, int daysInPeriod)
    {
        var rate = ImplicitMonthlyRate(terms);
        var balance = PresentValue(terms, remainingPayments, rate) / (1m + rate);
        var accrued = daysInPeriod <= 0 ? 0m : balance * rate * daysSincePayment / daysInPeriod;
        return ((long)Math.Round(balance, MidpointRounding.AwayFromZero), (long)Math.Round(accrued, MidpointRounding.AwayFromZero));
    }

    private static decimal PresentValue(LeaseTerms terms, int remainingPayments, decimal rate)
    {
        var discount = 1m / (1m + rate);
        var factor = 1m;
        var value = 0m;
        for (var month = 0; month < remainingPayments; month++)
        {
            value += terms.MonthlyPaymentCents * factor;
            factor *= discount;
        }
        return value + terms.PurchaseOptionPriceCents * factor;
    }
}
