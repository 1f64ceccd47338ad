namespace Remarketing.Quote.Domain;

/// <summary>A case that goes to remarketing, as the hand-off to Inspection carries it.</summary>
/// <param name="Reason">"lessee_return" or "dealer_purchase_hold_lapsed".</param>
public sealed record RemarketingHandOff(
    string CaseId, string AccountId, LeaseTerms Vehicle, string GroundingDealerId, string DealerState, long OdometerMiles, Termination Termination, string Reason, string Journey)
{
    public static RemarketingHandOff For(LeaseAccountRecord account, ReturnCaseRecord returnCase, string reason) =>
        new(returnCase.CaseId, account.Terms.AccountId, account.Terms, returnCase.GroundingDealerId, returnCase.DealerState, returnCase.OdometerMiles,
            returnCase.Termination, reason, returnCase.Journey);
}
