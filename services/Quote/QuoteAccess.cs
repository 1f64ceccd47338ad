using Remarketing.Contracts;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>
/// Who may reach what in Quote, and what of it a grounding dealer sees: the lease's vehicle, dates
/// and mileage terms, and quote amounts, never the figures between the lender and the lessee
/// (payment, capitalized cost, residual and fees, deposit, amounts owed, unit prices).
/// </summary>
public static class QuoteAccess
{
    /// <summary>The payoff's parts, which show the lessee's payment and residual: a dealer sees their sum.</summary>
    private static readonly HashSet<string> PayoffParts = ["remaining_payments", "unearned_rent_charges", "residual_value", "rent_charge_accrued"];

    /// <summary>What a line is, without the lessee's unit figures behind it (payment, per-day fee, tax rate, per-mile price).</summary>
    private static readonly Dictionary<string, string> DealerDescriptions = new(StringComparer.Ordinal)
    {
        ["early_termination_payoff"] = "Early-termination payoff",
        ["remaining_payments"] = "Payments to maturity",
        ["purchase_option_price"] = "Purchase option price",
        ["purchase_option_fee"] = "Purchase option fee",
        ["realized_value"] = "Less the vehicle's realized value",
        ["excess_mileage"] = "Excess mileage",
        ["unused_purchased_miles"] = "Refund of unused purchased miles",
        ["sales_tax"] = "Sales tax",
        ["past_due"] = "Past-due amounts",
        ["personal_property_tax"] = "Unpaid personal property tax",
        ["extension_fees"] = "Extension fees",
        ["disposition_fee"] = "Disposition fee",
        ["security_deposit"] = "Security deposit",
        ["excess_wear"] = "Excess wear",
    };

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

    /// <summary>The account as <paramref name="caller"/> sees it: for a dealer, without the lessee's money figures and how the lease ended.</summary>
    public static LeaseAccountRecord AccountSeenBy(Caller caller, LeaseAccountRecord account) => !IsDealer(caller) ? account : account with
    {
        Terms = account.Terms with
        {
            MonthlyPaymentCents = 0,
            AdjustedCapitalizedCostCents = 0,
            PurchaseOptionPriceCents = 0,
            PurchaseOptionFeeCents = 0,
            SecurityDepositCents = 0,
            PastDueCents = 0,
            SalesTaxRateBasisPoints = 0,
            UnpaidPersonalPropertyTaxCents = 0,
            PurchasedMilePriceCents = 0,
            ExtensionDailyFeeCents = 0,
        },
        Extensions = [.. account.Extensions.Select(extension => extension with { FeeCents = 0 })],
        Ending = null,
    };

    /// <summary>
    /// Quote lines as <paramref name="caller"/> sees them: for a dealer the same amounts and total,
    /// with the payoff's parts summed into one line and no description naming the lessee's figures.
    /// </summary>
    public static IReadOnlyList<Line> LinesSeenBy(Caller caller, IReadOnlyList<Line> lines)
    {
        if (!IsDealer(caller))
            return lines;
        var payoffParts = lines.Where(line => PayoffParts.Contains(line.Code)).ToList();
        var view = new List<Line>();
        foreach (var line in lines)
        {
            if (payoffParts.Count > 1 && PayoffParts.Contains(line.Code))
            {
                if (ReferenceEquals(line, payoffParts[0]))
                    view.Add(new Line("early_termination_payoff", "", payoffParts.Sum(part => part.AmountCents), payoffParts.Any(part => part.Estimated)));
                continue;
            }
            view.Add(line);
        }
        return [.. view.Select(line => line with { Description = DealerDescriptions.GetValueOrDefault(line.Code, line.Code.Replace('_', ' ')) })];
    }
}
