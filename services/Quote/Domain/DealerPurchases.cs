using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote.Domain;

/// <summary>A dealer purchase completed within its hold: the case ends purchased, settled at once.</summary>
public static class DealerPurchases
{
    public static Decision<CaseAnswer> CompleteDealerPurchase(
        this LeaseAccountRecord account, Caller caller, PurchaseCompletion completion, DateTimeOffset now, TimeSpan hold)
    {
        var returnCase = QuoteAccess.CaseFor(caller, account, completion.CaseId);
        var proof = completion.ProofOfResaleId.Trim();
        if (returnCase.State != CaseState.HeldForDealerPurchase)
            throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not held for a dealer purchase: it is {returnCase.State}");
        if (now >= returnCase.HoldUntil)
        {
            throw DomainException.FailedPrecondition(
                $"the {hold.TotalHours:0}-hour hold on case {returnCase.CaseId} ended at {returnCase.HoldUntil:yyyy-MM-dd HH:mm:ss}Z: the vehicle goes to remarketing");
        }
        if (returnCase.Disposition == Disposition.DealerPurchaseForLessee && proof.Length == 0)
            throw DomainException.InvalidArgument("a Dealer Purchase for Lessee completes only with proof of resale to the lessee: give proof_of_resale_id");
        if (completion.ApplySecurityDeposit && returnCase.Disposition != Disposition.DealerPurchaseForLessee)
        {
            throw DomainException.InvalidArgument(
                $"case {returnCase.CaseId} is a Dealer Purchase for Inventory: the lessee is not buying, so the security deposit is refunded to the lessee " +
                "and cannot reduce the dealer's price; leave apply_security_deposit unset");
        }
        var purchased = returnCase with
        {
            State = CaseState.Purchased,
            ProofOfResaleId = proof.Length > 0 ? proof : null,
            PurchasedAt = now,
            SecurityDepositApplied = completion.ApplySecurityDeposit,
        };
        // The purchase is the sale: the case is settled now, with its letter.
        var (settlement, _) = LeaseEndQuotes.Settlement(account, purchased);
        var letter = new LetterRecord($"{purchased.CaseId}-settlement", LetterType.Settlement, now, settlement.Lines);
        var updated = account.WithCase(purchased).WithLetter(letter) with { State = AccountStatus.Closed };
        return new Decision<CaseAnswer>(updated, new CaseAnswer(account.Terms.AccountId, purchased)) { SideRecords = [new SideRecord.HoldUnscheduled()] };
    }
}
