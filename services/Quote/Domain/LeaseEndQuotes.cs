using Remarketing.ServiceDefaults.Domain;
using static Remarketing.Quote.Domain.LeaseEndCalculator;

namespace Remarketing.Quote.Domain;

/// <summary>
/// The quotes, the Vehicle Return Option Calculator, the settlement and the letters' figures:
/// each a list of lines from <see cref="LeaseEndCalculator"/>, whose sum is the total.
/// </summary>
public static class LeaseEndQuotes
{
    private const string DepositAfterSale = "(refunded after the vehicle is returned, inspected and sold, less what is owed)";

    /// <summary>
    /// A dealer's price: the purchase option price (before maturity, the early-termination payoff)
    /// and the purchase option fee; no sales tax, a dealer buys for resale. For Lessee the dealer
    /// resells to the lessee and its price also carries every amount the lessee owes; for
    /// Inventory those stay the lessee's (<see cref="PurchaseSettlement"/>).
    /// </summary>
    public static Figures DealerPurchase(LeaseAccountRecord account, DateOnly asOf, Disposition purchase) =>
        Purchase(account, asOf, taxed: false, applyDeposit: false, withAmountsDue: purchase == Disposition.DealerPurchaseForLessee);

    /// <summary>Lessee buyout: the purchase option price + unpaid fees, taxes and amounts due; the security deposit may be applied.</summary>
    public static Figures LesseeBuyout(LeaseAccountRecord account, DateOnly asOf, bool applyDeposit) => Purchase(account, asOf, taxed: true, applyDeposit, withAmountsDue: true);

    /// <summary>
    /// Lessee Return estimate: what the lessee will owe on returning the vehicle, excluding excess
    /// wear (not known before the inspection). Before maturity it includes the early-termination charge.
    /// </summary>
    public static Figures LesseeReturn(LeaseAccountRecord account, DateOnly asOf, long odometerMiles)
    {
        var terms = account.Terms;
        var early = terms.IsEarlyTermination(asOf);
        var lines = new List<Line>();
        EarlyTermination? termination = null;
        if (early)
        {
            termination = EarlyTerminationCharge(terms, asOf, salePriceCents: null);
            lines.AddRange(termination.Lines);
        }
        else
        {
            AddIfAny(lines, DispositionFee(terms));
        }
        var mileage = Mileage(terms, odometerMiles, asOf, normalMaturityReturn: !early).ToList();
        lines.AddRange(mileage);
        lines.AddRange(AmountsDue(account, asOf));
        AddIfAny(lines, SalesTax(terms, Charged(mileage, "excess_mileage"), "excess mileage"));
        if (terms.SecurityDepositCents > 0)
            lines.Add(SecurityDepositCredit(terms, DepositAfterSale));
        return new Figures(lines, termination?.PayoffCents ?? 0, termination?.ChargeCents ?? 0);
    }

    /// <summary>
    /// The settlement of a case. A returned vehicle: the early-termination charge (realized value =
    /// the sale price once sold), excess mileage, excess wear, amounts due, taxes, the disposition
    /// fee, and the security deposit once the vehicle is sold; final once inspected and sold. Unused
    /// purchased miles are refunded on a normal maturity only. A completed dealer purchase: see
    /// <see cref="PurchaseSettlement"/>, final at once.
    /// </summary>
    public static (Figures Figures, bool Final) Settlement(LeaseAccountRecord account, ReturnCaseRecord returnCase)
    {
        if (returnCase.State == CaseState.Purchased)
            return (PurchaseSettlement(account, returnCase), true);
        var terms = account.Terms;
        var sold = returnCase.AuctionResult is { Sold: true };
        var lines = new List<Line>();
        EarlyTermination? termination = null;
        if (returnCase.IsEarlyTermination)
        {
            termination = EarlyTerminationCharge(terms, returnCase.ReturnDate, sold ? returnCase.AuctionResult!.SalePriceCents : null);
            lines.AddRange(termination.Lines);
        }
        else
        {
            AddIfAny(lines, DispositionFee(terms));
        }
        var usage = UsageCharges(account, returnCase, normalMaturityReturn: !returnCase.IsEarlyTermination);
        lines.AddRange(usage);
        if (sold && terms.SecurityDepositCents > 0)
            lines.Add(SecurityDepositCredit(terms, "refunded now that the vehicle is sold, less what is owed"));
        var final = returnCase.Inspection is not null && sold;
        return (new Figures(lines, termination?.PayoffCents ?? 0, termination?.ChargeCents ?? 0), final);
    }

    /// <summary>
    /// The settlement of a completed dealer purchase, as of the return date: the dealer's price
    /// (<see cref="DealerPurchase"/>) and what the dealer paid. For Lessee the price covered all
    /// the lessee owed, and the security deposit either reduced it (the lessee chose so; the dealer
    /// paid that much less) or is refunded whole. For Inventory the lessee's own amounts due (past
    /// due, personal property tax, extension days used) stay on the lessee's settlement, less the
    /// deposit: the balance is what the lessee still owes, or, negative, the rest of the deposit
    /// refunded. No mileage or wear is charged and no purchased miles refunded on a purchase.
    /// </summary>
    public static Figures PurchaseSettlement(LeaseAccountRecord account, ReturnCaseRecord returnCase)
    {
        var forLessee = returnCase.Disposition == Disposition.DealerPurchaseForLessee;
        var price = DealerPurchase(account, returnCase.ReturnDate, returnCase.Disposition);
        var lines = new List<Line>(price.Lines);
        var deposit = account.Terms.SecurityDepositCents;
        var applied = returnCase.SecurityDepositApplied ? Math.Min(deposit, price.TotalCents) : 0;
        if (applied > 0)
            lines.Add(new Line("security_deposit", "Security deposit applied to the purchase option price, as the lessee chose", -applied));
        lines.Add(new Line("dealer_purchase_payment",
            $"Paid by dealer {returnCase.GroundingDealerId}, buying the vehicle " + (forLessee ? "for resale to the lessee" : "for its inventory") +
            (applied > 0 ? " (the price less the deposit applied)" : ""),
            -(price.TotalCents - applied)));
        if (!forLessee)
            lines.AddRange(AmountsDue(account, returnCase.ReturnDate));
        if (deposit - applied > 0)
        {
            lines.Add(new Line("security_deposit",
                forLessee
                    ? "Security deposit refunded: the dealer's purchase paid everything owed under the lease"
                    : "Security deposit, against what the lessee still owes; the rest refunded",
                -(deposit - applied)));
        }
        return new Figures(lines, price.EarlyTerminationPayoffCents);
    }

    /// <summary>The ET pre-sale letter, after the inspection: excess mileage, excess wear and unpaid charges.</summary>
    public static Figures EarlyTerminationPreSale(LeaseAccountRecord account, ReturnCaseRecord returnCase) =>
        new(UsageCharges(account, returnCase, normalMaturityReturn: false));

    /// <summary>
    /// The Vehicle Return Option Calculator: return now, buy now (deposit applied), keep to maturity,
    /// and extend by <paramref name="extensionDaysAvailable"/> days where any remain. Keeping and
    /// extending project the mileage at the current pace, so their mileage lines are estimates.
    /// </summary>
    public static IReadOnlyList<(LeaseEndOption Kind, Figures Figures)> EarlyTerminationOptions(
        LeaseAccountRecord account, DateOnly asOf, long odometerMiles, int extensionDaysAvailable)
    {
        var options = new List<(LeaseEndOption, Figures)>
        {
            (LeaseEndOption.ReturnNow, LesseeReturn(account, asOf, odometerMiles)),
            (LeaseEndOption.BuyNow, LesseeBuyout(account, asOf, applyDeposit: true)),
            (LeaseEndOption.KeepToMaturity, Keep(account, asOf, odometerMiles, extraDays: 0)),
        };
        if (extensionDaysAvailable > 0)
            options.Add((LeaseEndOption.Extend, Keep(account, asOf, odometerMiles, extensionDaysAvailable)));
        return options;
    }

    private static Figures Purchase(LeaseAccountRecord account, DateOnly asOf, bool taxed, bool applyDeposit, bool withAmountsDue)
    {
        var terms = account.Terms;
        var lines = new List<Line>();
        long payoff = 0;
        if (terms.IsEarlyTermination(asOf))
        {
            (var payoffLines, payoff) = EarlyTerminationPayoff(terms, asOf, PurchaseOptionFee(terms));
            lines.AddRange(payoffLines);
        }
        else
        {
            lines.Add(new Line("purchase_option_price", "Purchase option price (the residual in the lease)", terms.PurchaseOptionPriceCents));
            AddIfAny(lines, PurchaseOptionFee(terms));
        }
        var price = lines.Sum(line => line.AmountCents);
        if (withAmountsDue)
            lines.AddRange(AmountsDue(account, asOf));
        if (taxed)
            AddIfAny(lines, SalesTax(terms, price, "the purchase price"));
        if (applyDeposit && terms.SecurityDepositCents > 0)
            lines.Add(SecurityDepositCredit(terms, "applied to the purchase price"));
        return new Figures(lines, payoff);
    }

    private static Figures Keep(LeaseAccountRecord account, DateOnly asOf, long odometerMiles, int extraDays)
    {
        var terms = account.Terms;
        var remaining = terms.TermMonths - terms.PaymentsDueBy(asOf);
        var end = account.ScheduledEndDate.AddDays(extraDays);
        var lines = new List<Line> { new("remaining_payments", $"Remaining payments to maturity: {remaining} x {Cents.Format(terms.MonthlyPaymentCents)}", remaining * terms.MonthlyPaymentCents) };
        if (extraDays > 0)
            lines.Add(new Line("extension_fees", $"Extension to {end:yyyy-MM-dd}: {extraDays} days x {Cents.Format(terms.ExtensionDailyFeeCents)}", extraDays * terms.ExtensionDailyFeeCents));
        AddIfAny(lines, DispositionFee(terms));
        var mileage = Mileage(terms, ProjectedOdometer(terms, asOf, odometerMiles, end), end, normalMaturityReturn: true, estimated: true).ToList();
        lines.AddRange(mileage);
        lines.AddRange(AmountsDue(account, account.ScheduledEndDate));
        AddIfAny(lines, SalesTax(terms, Charged(mileage, "excess_mileage"), "excess mileage"));
        if (terms.SecurityDepositCents > 0)
            lines.Add(SecurityDepositCredit(terms, DepositAfterSale));
        return new Figures(lines);
    }

    /// <summary>The odometer at <paramref name="end"/> if the vehicle keeps being driven at its pace since the start.</summary>
    public static long ProjectedOdometer(LeaseTerms terms, DateOnly asOf, long odometerMiles, DateOnly end)
    {
        var daysSoFar = asOf.DayNumber - terms.StartDate.DayNumber;
        if (daysSoFar <= 0)
            return odometerMiles;
        var driven = MilesDriven(terms, odometerMiles);
        return terms.StartingOdometerMiles + RoundedShare(driven, end.DayNumber - terms.StartDate.DayNumber, daysSoFar);
    }

    private static List<Line> UsageCharges(LeaseAccountRecord account, ReturnCaseRecord returnCase, bool normalMaturityReturn)
    {
        var terms = account.Terms;
        var mileage = Mileage(terms, returnCase.OdometerMiles, returnCase.ReturnDate, normalMaturityReturn).ToList();
        var wear = (returnCase.Inspection?.ExcessWear ?? [])
            .Where(item => item.ChargeCents > 0)
            .Select(item => new Line("excess_wear", $"Excess wear: {item.Description}", item.ChargeCents))
            .ToList();
        var lines = new List<Line>(mileage);
        lines.AddRange(wear);
        lines.AddRange(AmountsDue(account, returnCase.ReturnDate));
        AddIfAny(lines, SalesTax(terms, Charged(mileage, "excess_mileage") + Charged(wear, "excess_wear"), "excess mileage and wear"));
        return lines;
    }

    private static Line? PurchaseOptionFee(LeaseTerms terms) =>
        terms.PurchaseOptionFeeCents > 0 ? new Line("purchase_option_fee", "Purchase option fee", terms.PurchaseOptionFeeCents) : null;

    private static long Charged(IEnumerable<Line> lines, string code) => lines.Where(line => line.Code == code).Sum(line => line.AmountCents);

    private static void AddIfAny(List<Line> lines, Line? line)
    {
        if (line is not null)
            lines.Add(line);
    }
}
