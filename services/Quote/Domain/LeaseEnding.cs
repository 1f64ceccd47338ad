using System.Globalization;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Quote.Domain;

/// <summary>How a lease ended without a return. Stored by member name.</summary>
public enum LeaseEndingType
{
    LesseeBuyout,
    TotalLoss,
}

/// <summary>
/// A lease that ended without a return: its settlement (what was owed, what was paid, the
/// deposit), and for a buyout when the title was released, for a total loss the insurer's claim.
/// </summary>
public sealed record LeaseEndingRecord(LeaseEndingType Kind, DateOnly EffectiveDate, DateTimeOffset RecordedAt, IReadOnlyList<Line> Lines)
{
    public DateTimeOffset? TitleReleasedAt { get; init; }

    public string? InsuranceClaimId { get; init; }

    public long BalanceCents => Lines.Sum(line => line.AmountCents);
}

/// <summary>A lessee buyout as the remarketing center records it: the payoff received on <paramref name="PurchaseDate"/>.</summary>
public sealed record BuyoutCompletion(string RequestId, string AccountId, DateOnly? PurchaseDate, bool ApplySecurityDeposit, long PaymentReceivedCents);

/// <summary>A total loss as the remarketing center records it, with the insurer's payment.</summary>
public sealed record TotalLossReport(string RequestId, string AccountId, DateOnly? LossDate, string InsuranceClaimId, long InsurerPaymentCents);

/// <summary>
/// The two ways a lease ends with no vehicle to remarket: the lessee buys it, or it is a total
/// loss. Either settles and closes the account at once; neither refunds unused purchased miles.
/// </summary>
public static class LeaseEndings
{
    /// <summary>Why the lease may not end this way now (a return under way, or it already ended); null if it may.</summary>
    public static string? WhyNotEnded(this LeaseAccountRecord account, LeaseEndingType kind)
    {
        var accountId = account.Terms.AccountId;
        var what = kind == LeaseEndingType.LesseeBuyout ? "a lessee buyout" : "a total loss";
        if (account.WhyClosed() is { } closed)
            return $"lease account {accountId} {closed}: {what} is recorded only while the lease runs";
        if (account.LatestCase is { IsOpen: true } open)
        {
            return $"the vehicle of lease account {accountId} was returned on {open.ReturnDate:yyyy-MM-dd} (case {open.CaseId}, {open.State}): " +
                (kind == LeaseEndingType.LesseeBuyout
                    ? "a lessee buying a returned vehicle does so through the dealer, as a Dealer Purchase for Lessee"
                    : "the case settles it; record what happened to the vehicle there");
        }
        return null;
    }

    /// <summary>How the account ended, in words, for refusals; null while it has not.</summary>
    public static string? WhyClosed(this LeaseAccountRecord account)
    {
        if (account.State != AccountStatus.Closed)
            return null;
        return account.Ending switch
        {
            { Kind: LeaseEndingType.LesseeBuyout } ending => $"is closed: the lessee bought the vehicle on {Day(ending.EffectiveDate)}",
            { Kind: LeaseEndingType.TotalLoss } ending => $"is closed: the vehicle was a total loss on {Day(ending.EffectiveDate)} (claim {ending.InsuranceClaimId})",
            _ => account.LatestCase is { } last ? $"is closed: its return case {last.CaseId} was settled" : "is closed",
        };
    }

    /// <summary>Why <paramref name="received"/> does not complete the buyout (it must be the Lessee Buyout quote's total as of the purchase date); null if it does.</summary>
    public static string? WhyNotPaidInFull(this LeaseAccountRecord account, DateOnly purchaseDate, bool applyDeposit, long received)
    {
        var payoff = LeaseEndQuotes.LesseeBuyout(account, purchaseDate, applyDeposit).TotalCents;
        return received == payoff
            ? null
            : $"the lessee buyout of lease account {account.Terms.AccountId} as of {Day(purchaseDate)} is {Cents.Format(payoff)} " +
              $"(security deposit {(applyDeposit ? "applied" : "not applied")}); {Cents.Format(received)} was received: " +
              "record the buyout once the payoff is received in full (GetQuote LESSEE_BUYOUT shows each line)";
    }

    /// <summary>
    /// The buyout's settlement: the Lessee Buyout quote as of the purchase date (with the deposit
    /// applied if the lessee asked), the payoff received, the title released; the deposit refunded
    /// whole if it was not applied.
    /// </summary>
    public static LeaseEndingRecord Buyout(LeaseAccountRecord account, DateOnly purchaseDate, bool applyDeposit, DateTimeOffset now)
    {
        var price = LeaseEndQuotes.LesseeBuyout(account, purchaseDate, applyDeposit);
        var lines = new List<Line>(price.Lines)
        {
            new("lessee_buyout_payment", "Payoff received from the lessee", -price.TotalCents),
            new("title_released", $"Title released to the lessee on {Day(DateOnly.FromDateTime(now.UtcDateTime))}", 0),
        };
        if (!applyDeposit && account.Terms.SecurityDepositCents > 0)
            lines.Add(new Line("security_deposit", "Security deposit refunded: the payoff paid everything owed under the lease", -account.Terms.SecurityDepositCents));
        return new LeaseEndingRecord(LeaseEndingType.LesseeBuyout, purchaseDate, now, lines) { TitleReleasedAt = now };
    }

    /// <summary>
    /// A total loss's settlement: the balance as of the loss date (before maturity the adjusted
    /// lease balance with the rent accrued to that day; at or after it the residual), the lessee's
    /// amounts due, the insurer's payment and the security deposit. The balance is what the lessee
    /// still owes, or, negative, what is refunded. No mileage, no refund of purchased miles.
    /// </summary>
    public static LeaseEndingRecord TotalLoss(LeaseAccountRecord account, DateOnly lossDate, string claimId, long insurerPayment, DateTimeOffset now)
    {
        var terms = account.Terms;
        var lines = new List<Line>();
        if (terms.IsEarlyTermination(lossDate))
            lines.AddRange(LeaseEndCalculator.EarlyTerminationPayoff(terms, lossDate, fee: null).Lines);
        else
            lines.Add(new Line("residual_value", "Residual value (the purchase option price in the lease)", terms.PurchaseOptionPriceCents));
        lines.AddRange(LeaseEndCalculator.AmountsDue(account, lossDate));
        lines.Add(new Line("insurer_payment", $"Paid by the insurer (claim {claimId})", -insurerPayment));
        if (terms.SecurityDepositCents > 0)
            lines.Add(new Line("security_deposit", "Security deposit, against what is owed; the rest refunded", -terms.SecurityDepositCents));
        return new LeaseEndingRecord(LeaseEndingType.TotalLoss, lossDate, now, lines) { InsuranceClaimId = claimId };
    }

    /// <summary>The center records a lessee buyout: the payoff received in full closes the account, releases the title and sends the settlement letter.</summary>
    public static Decision<AccountAnswer> CompleteBuyout(this LeaseAccountRecord account, BuyoutCompletion completion, DateTimeOffset now, QuoteOptions options)
    {
        if (completion.PaymentReceivedCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"payment_received_cents is required: the payoff the lessee paid ({Cents.Format(completion.PaymentReceivedCents)} is not one)");
        var purchaseDate = account.DayWithinTheLease(completion.PurchaseDate ?? DateOnly.FromDateTime(now.UtcDateTime), "purchase_date", "the payoff was received", now);
        var refusal = account.WhyNotEnded(LeaseEndingType.LesseeBuyout)
            ?? account.WhyNotPaidInFull(purchaseDate, completion.ApplySecurityDeposit, completion.PaymentReceivedCents);
        if (refusal is not null)
            throw DomainException.FailedPrecondition(refusal);
        var ended = account.EndedBy(Buyout(account, purchaseDate, completion.ApplySecurityDeposit, now));
        return new Decision<AccountAnswer>(ended, AccountAnswer.For(ended, options)) { SideRecords = [new SideRecord.ReturnKitUnscheduled()] };
    }

    public static void Check(TotalLossReport report)
    {
        Ids.Required(report.InsuranceClaimId, "insurance_claim_id");
        if (report.LossDate is null)
            throw DomainException.InvalidArgument("loss_date is required: the day the vehicle was lost");
        if (report.InsurerPaymentCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"insurer_payment_cents is required: what the insurer paid ({Cents.Format(report.InsurerPaymentCents)} is not one)");
    }

    /// <summary>The center records a total loss (once <see cref="Check(TotalLossReport)"/> passed): the insurer's payment settles the account, which closes with its letter; nothing is remarketed.</summary>
    public static Decision<AccountAnswer> RecordTotalLoss(this LeaseAccountRecord account, TotalLossReport report, DateTimeOffset now, QuoteOptions options)
    {
        var lossDate = account.DayWithinTheLease(report.LossDate!.Value, "loss_date", "the vehicle was lost", now);
        if (account.WhyNotEnded(LeaseEndingType.TotalLoss) is { } refusal)
            throw DomainException.FailedPrecondition(refusal);
        var ended = account.EndedBy(TotalLoss(account, lossDate, report.InsuranceClaimId.Trim(), report.InsurerPaymentCents, now));
        return new Decision<AccountAnswer>(ended, AccountAnswer.For(ended, options)) { SideRecords = [new SideRecord.ReturnKitUnscheduled()] };
    }

    /// <summary>A day something happened to the lease: not in the future, not before the lease started.</summary>
    private static DateOnly DayWithinTheLease(this LeaseAccountRecord account, DateOnly day, string field, string what, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (day > today)
            throw DomainException.InvalidArgument($"{field} {day:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}): give the day {what}");
        if (day < account.Terms.StartDate)
            throw DomainException.InvalidArgument($"{field} {day:yyyy-MM-dd} is before the lease started ({account.Terms.StartDate:yyyy-MM-dd})");
        return day;
    }

    /// <summary>The account closed by <paramref name="ending"/>, with its settlement letter and the return kit no longer due.</summary>
    public static LeaseAccountRecord EndedBy(this LeaseAccountRecord account, LeaseEndingRecord ending)
    {
        var letterId = $"{account.Terms.AccountId}-{(ending.Kind == LeaseEndingType.LesseeBuyout ? "buyout" : "total-loss")}-settlement";
        return account.WithLetter(new LetterRecord(letterId, LetterType.Settlement, ending.RecordedAt, ending.Lines)) with
        {
            State = AccountStatus.Closed,
            Ending = ending,
        };
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
