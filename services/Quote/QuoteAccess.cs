using Remarketing.Contracts;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>
/// Who may reach what in Quote, and what of it a grounding dealer sees. The fields of every answer
/// are cut to the dealer's view in one place (<see cref="CallerViews.GroundingDealer"/>); the
/// quote lines here: for each quote a dealer may have, the lines it is shown, each the sum of
/// lender's lines, under descriptions that name none of the lessee's figures (payment, residual,
/// per-mile, per-day and tax rates, deposit, amounts owed).
/// </summary>
public static class QuoteAccess
{
    /// <summary>One line of a dealer's quote: the sum of the lender's lines <paramref name="Sums"/>, shown if any of them is there.</summary>
    public sealed record DealerLine(string Code, string Description, params string[] Sums);

    private static readonly string[] Payoff = ["remaining_payments", "unearned_rent_charges", "residual_value", "rent_charge_accrued"];

    private static readonly string[] LesseesAmountsDue = ["past_due", "personal_property_tax", "extension_fees"];

    private static readonly DealerLine PayoffPrice = new("early_termination_payoff", "Early-termination payoff: the price before the maturity date", Payoff);
    private static readonly DealerLine PurchaseOptionPrice = new("purchase_option_price", "Purchase option price", "purchase_option_price");
    private static readonly DealerLine PurchaseOptionFee = new("purchase_option_fee", "Purchase option fee", "purchase_option_fee");
    private static readonly DealerLine AmountsDuePaidWithThePurchase =
        new("lessee_amounts_due", "The lessee's amounts due under the lease (past due, taxes, fees), paid with the purchase", LesseesAmountsDue);
    private static readonly DealerLine ExcessMileage = new("excess_mileage", "Excess mileage", "excess_mileage");
    private static readonly DealerLine SalesTax = new("sales_tax", "Sales tax on the charges", "sales_tax");
    private static readonly DealerLine LesseesAccount =
        new("lessee_account", "The lessee's own account with the lender: amounts due less the security deposit", [.. LesseesAmountsDue, "security_deposit"]);

    /// <summary>
    /// The lines of each quote a dealer may have, by kind and termination. A Dealer Purchase: the
    /// price the dealer pays (the purchase option price, or before maturity the early-termination
    /// payoff) and the fee, for the Lessee also the lessee's amounts due it pays. A Lessee Return:
    /// the charges to tell the lessee about, and the lessee's own account as one net line. The
    /// lessee buyout is never a dealer's.
    /// </summary>
    public static IReadOnlyDictionary<(QuoteType Kind, Termination Termination), IReadOnlyList<DealerLine>> DealerQuoteLines { get; } =
        new Dictionary<(QuoteType, Termination), IReadOnlyList<DealerLine>>
        {
            [(QuoteType.DealerPurchaseForLessee, Termination.Early)] = [PayoffPrice, PurchaseOptionFee, AmountsDuePaidWithThePurchase],
            [(QuoteType.DealerPurchaseForLessee, Termination.NormalMaturity)] = [PurchaseOptionPrice, PurchaseOptionFee, AmountsDuePaidWithThePurchase],
            [(QuoteType.DealerPurchaseForInventory, Termination.Early)] = [PayoffPrice, PurchaseOptionFee],
            [(QuoteType.DealerPurchaseForInventory, Termination.NormalMaturity)] = [PurchaseOptionPrice, PurchaseOptionFee],
            [(QuoteType.LesseeReturn, Termination.Early)] =
            [
                new("early_termination_charge", "Early-termination charge: the payoff less the vehicle's realized value, estimated until it sells",
                    [.. Payoff, "disposition_fee", "realized_value"]),
                ExcessMileage, SalesTax, LesseesAccount,
            ],
            [(QuoteType.LesseeReturn, Termination.NormalMaturity)] =
            [
                new("disposition_fee", "Disposition fee", "disposition_fee"),
                ExcessMileage,
                new("unused_purchased_miles", "Refund of unused purchased miles", "unused_purchased_miles"),
                SalesTax, LesseesAccount,
            ],
        };

    /// <summary>
    /// The calculator's options a dealer sees: returning now (the Lessee Return). Buying, keeping
    /// and extending are the lessee's payments and fees to the lender, between the two of them.
    /// </summary>
    public static bool DealerSees(LeaseEndOption option) => option == LeaseEndOption.ReturnNow;
    public static bool IsDealer(Caller caller) => caller.Role == RoleNames.GroundingDealer;

    /// <summary>
    /// A dealer acts only on the returns it notified; the center and services on any. Another
    /// dealer's case answers as a missing one: case ids carry the account number, so anything else
    /// would tell that the account exists.
    /// </summary>
    public static bool MayActOn(Caller caller, ReturnCaseRecord returnCase) =>
        !IsDealer(caller) || caller.Subject == returnCase.GroundingDealerId;

    /// <summary>
    /// The account as <paramref name="caller"/> may reach it: the center and services by its number;
    /// a grounding dealer for an account whose return it notified, or for the vehicle it holds (the
    /// VIN on the lease, <paramref name="vin"/>, with the account number).
    /// </summary>
    public static async Task<LeaseAccountRecord> ReachAsync(QuoteStore store, Caller caller, string accountId, string vin)
    {
        var id = Ids.Required(accountId, "account_id");
        if (!IsDealer(caller))
            return await store.GetAsync(id);
        var account = await store.FindAsync(id);
        if (account is not null && account.Cases.Any(returnCase => returnCase.GroundingDealerId == caller.Subject))
            return account;
        var shown = RequiredVin(vin);
        return account is not null && account.Terms.Vin == shown ? account : throw NoAccountForVehicle(id, shown);
    }

    /// <summary>A VIN given to show the vehicle is held: upper case, valid, or InvalidArgument.</summary>
    public static string RequiredVin(string vin)
    {
        var normalized = vin.Trim().ToUpperInvariant();
        if (normalized.Length == 0)
            throw DomainException.InvalidArgument("vin is required: the vehicle's VIN as on the lease agreement, to show you hold the vehicle");
        return Vin.Problem(normalized) is { } problem ? throw DomainException.InvalidArgument(problem) : normalized;
    }

    /// <summary>The case <paramref name="caseId"/> of <paramref name="account"/> if <paramref name="caller"/> may act on it; otherwise NotFound, as a missing case.</summary>
    public static ReturnCaseRecord CaseFor(Caller caller, LeaseAccountRecord account, string caseId)
    {
        var returnCase = account.Case(caseId);
        return MayActOn(caller, returnCase) ? returnCase : throw NoSuchCase(caseId);
    }

    public static DomainException NoSuchCase(string caseId) => DomainException.NotFound($"no return case {caseId}");

    /// <summary>
    /// A dealer asking for an account that does not exist and one asking with the wrong VIN get the
    /// same answer, so account numbers cannot be probed.
    /// </summary>
    public static DomainException NoAccountForVehicle(string accountId, string vin) =>
        DomainException.NotFound($"no lease account {accountId} for VIN {vin}: check both against the lease agreement");

    /// <summary>The account as <paramref name="caller"/> sees it: a dealer, only the return cases it may act on.</summary>
    public static LeaseAccountRecord AccountSeenBy(Caller caller, LeaseAccountRecord account) =>
        !IsDealer(caller) ? account : account with { Cases = [.. account.Cases.Where(returnCase => MayActOn(caller, returnCase))] };

    /// <summary>
    /// The lines of a <paramref name="kind"/> quote as <paramref name="caller"/> sees them: for a
    /// dealer, <see cref="DealerQuoteLines"/>, with the same total. A line no dealer line sums is
    /// an error, never shown.
    /// </summary>
    public static IReadOnlyList<Line> LinesSeenBy(Caller caller, QuoteType kind, Termination termination, IReadOnlyList<Line> lines)
    {
        if (!IsDealer(caller))
            return lines;
        var dealerLines = DealerQuoteLines.TryGetValue((kind, termination), out var found)
            ? found
            : throw new InvalidOperationException($"a dealer has no view of a {kind} quote");
        if (lines.FirstOrDefault(line => !dealerLines.Any(dealerLine => dealerLine.Sums.Contains(line.Code))) is { } unlisted)
            throw new InvalidOperationException($"the {kind} quote's line {unlisted.Code} is in no dealer line: decide what a dealer sees of it in QuoteAccess.DealerQuoteLines");
        return
        [
            .. dealerLines
                .Select(dealerLine => lines.Where(line => dealerLine.Sums.Contains(line.Code)).ToList() is { Count: > 0 } summed
                    ? new Line(dealerLine.Code, dealerLine.Description, summed.Sum(line => line.AmountCents), summed.Any(line => line.Estimated))
                    : null)
                .OfType<Line>(),
        ];
    }
}
