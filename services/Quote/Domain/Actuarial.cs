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
    /// The adjusted lease balance when <paramref name="remainingPayments"/> payments are still
    /// due (the next one due now): the remaining payments less the unearned rent charges, plus the residual.
    /// </summary>
    public static long AdjustedLeaseBalanceCents(LeaseTerms terms, int remainingPayments) =>
        (long)Math.Round(PresentValue(terms, remainingPayments, ImplicitMonthlyRate(terms)), MidpointRounding.AwayFromZero);

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
