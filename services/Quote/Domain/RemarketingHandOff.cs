namespace Remarketing.Quote.Domain;

/// <summary>A case that goes to remarketing, as the hand-off to Inspection carries it.</summary>
/// <param name="Reason">"lessee_return" or "dealer_purchase_hold_lapsed".</param>
public sealed record RemarketingHandOff(
    string CaseId, string AccountId, string Vin, string GroundingDealerId, string DealerState, Termination Termination, string Reason, DateTimeOffset At)
{
    public static RemarketingHandOff For(LeaseAccountRecord account, ReturnCaseRecord returnCase, string reason, DateTimeOffset at) =>
        new(returnCase.CaseId, account.Terms.AccountId, account.Terms.Vin, returnCase.GroundingDealerId, returnCase.DealerState, returnCase.Termination, reason, at);
}
