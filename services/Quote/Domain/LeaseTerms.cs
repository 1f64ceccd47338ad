using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Quote.Domain;

/// <summary>
/// The contract terms of one lease, as the back office opened it. Amounts are whole cents;
/// payments fall due monthly in advance, the first on the start date.
/// </summary>
public sealed record LeaseTerms(
    string AccountId,
    string Vin,
    int ModelYear,
    string Make,
    string Model,
    string Trim,
    string LesseeState,
    DateOnly StartDate,
    DateOnly MaturityDate,
    int TermMonths,
    long MonthlyPaymentCents,
    long AdjustedCapitalizedCostCents,
    long AllowedMilesPerYear,
    long PurchasedAdditionalMiles,
    long PurchasedMilePriceCents,
    long ExcessMileageRateCentsPerMile,
    long StartingOdometerMiles,
    long PurchaseOptionPriceCents,
    long PurchaseOptionFeeCents,
    long DispositionFeeCents,
    long SecurityDepositCents,
    long PastDueCents,
    int SalesTaxRateBasisPoints,
    long UnpaidPersonalPropertyTaxCents,
    long ExtensionDailyFeeCents)
{
    /// <summary>Amounts above this are refused as malformed (a guard against typos and overflow: $10M).</summary>
    public const long MaximumAmountCents = 10_000_000_00;

    public const long MaximumMiles = 2_000_000;

    /// <summary>The mileage allowance for the whole term, rounded up to a whole mile in the lessee's favour.</summary>
    public long AllowedMilesForTerm => (AllowedMilesPerYear * TermMonths + 11) / 12;

    /// <summary>Whole months of the lease from its start to <paramref name="date"/>, at most the term.</summary>
    public int MonthsElapsed(DateOnly date)
    {
        var months = 0;
        while (months < TermMonths && StartDate.AddMonths(months + 1) <= date)
            months++;
        return months;
    }

    /// <summary>
    /// The yearly allowance of a lease that ends on <paramref name="end"/>: the whole term's from
    /// the maturity date on; before it (an early termination), prorated to the whole months elapsed,
    /// rounded up in the lessee's favour. Purchased additional miles come on top, whole.
    /// </summary>
    public long AllowedMilesThrough(DateOnly end) => end >= MaturityDate ? AllowedMilesForTerm : (AllowedMilesPerYear * MonthsElapsed(end) + 11) / 12;

    /// <summary>Payments due on or before <paramref name="date"/> (each due on the start date's day of a month).</summary>
    public int PaymentsDueBy(DateOnly date)
    {
        var due = 0;
        while (due < TermMonths && StartDate.AddMonths(due) <= date)
            due++;
        return due;
    }

    /// <summary>The date payment number <paramref name="index"/> (0-based) falls due; null past the last one.</summary>
    public DateOnly? PaymentDueDate(int index) => index < TermMonths ? StartDate.AddMonths(index) : null;

    /// <summary>Returned before the contract's maturity date: early termination; on or after it: normal maturity.</summary>
    public bool IsEarlyTermination(DateOnly returnDate) => returnDate < MaturityDate;

    /// <summary>Null when the terms can open an account; otherwise what is wrong, for the caller.</summary>
    public string? Problem(DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(AccountId) || AccountId.Length > 64 || !AccountId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return "account_id is required: 1-64 letters, digits, '-' or '_'";
        if (ServiceDefaults.Domain.Vin.Problem(Vin) is { } vinProblem)
            return vinProblem;
        if (ModelYear < 1981 || ModelYear > today.Year + 2)
            return $"model year {ModelYear} is not a year a leased vehicle can have (1981-{today.Year + 2})";
        if (string.IsNullOrWhiteSpace(Make) || string.IsNullOrWhiteSpace(Model))
            return "the vehicle's make and model are required";
        if (!UsStates.IsState(LesseeState))
            return $"lessee_state '{LesseeState}' is not a two-letter US state code";
        if (TermMonths is < 1 or > 120)
            return $"term_months {TermMonths} must be 1-120";
        if (StartDate.AddMonths(TermMonths) != MaturityDate)
            return $"the maturity date {MaturityDate:yyyy-MM-dd} is not the start date plus {TermMonths} months ({StartDate.AddMonths(TermMonths):yyyy-MM-dd})";

        foreach (var (name, cents) in Amounts())
        {
            if (cents < 0)
                return $"{name} cannot be negative ({Cents.Format(cents)})";
            if (cents > MaximumAmountCents)
                return $"{name} {Cents.Format(cents)} is above the most this system takes ({Cents.Format(MaximumAmountCents)})";
        }
        if (MonthlyPaymentCents == 0)
            return "monthly_payment_cents must be more than 0";
        if (AdjustedCapitalizedCostCents == 0)
            return "adjusted_capitalized_cost_cents must be more than 0";
        if (MonthlyPaymentCents * TermMonths + PurchaseOptionPriceCents < AdjustedCapitalizedCostCents)
            return $"the payments ({TermMonths} x {Cents.Format(MonthlyPaymentCents)}) plus the residual ({Cents.Format(PurchaseOptionPriceCents)}) " +
                $"are less than the adjusted capitalized cost ({Cents.Format(AdjustedCapitalizedCostCents)}): the rent charge would be negative";

        foreach (var (name, miles) in new[] { ("allowed_miles_per_year", AllowedMilesPerYear), ("purchased_additional_miles", PurchasedAdditionalMiles), ("starting_odometer_miles", StartingOdometerMiles) })
        {
            if (miles is < 0 or > MaximumMiles)
                return $"{name} {miles} must be 0-{MaximumMiles:N0}";
        }
        if (SalesTaxRateBasisPoints is < 0 or > 10_000)
            return $"sales_tax_rate_basis_points {SalesTaxRateBasisPoints} must be 0-10000 (625 = 6.25%)";
        return null;
    }

    private IEnumerable<(string Name, long Cents)> Amounts() =>
    [
        ("monthly_payment_cents", MonthlyPaymentCents),
        ("adjusted_capitalized_cost_cents", AdjustedCapitalizedCostCents),
        ("purchased_mile_price_cents", PurchasedMilePriceCents),
        ("excess_mileage_rate_cents_per_mile", ExcessMileageRateCentsPerMile),
        ("purchase_option_price_cents", PurchaseOptionPriceCents),
        ("purchase_option_fee_cents", PurchaseOptionFeeCents),
        ("disposition_fee_cents", DispositionFeeCents),
        ("security_deposit_cents", SecurityDepositCents),
        ("past_due_cents", PastDueCents),
        ("unpaid_personal_property_tax_cents", UnpaidPersonalPropertyTaxCents),
        ("extension_daily_fee_cents", ExtensionDailyFeeCents),
    ];
}
