namespace Remarketing.Quote;

/// <summary>The fields of an entry on the remarketing queue (<see cref="QuoteStore.RemarketingQueue"/>), read by the hand-off to Inspection.</summary>
public static class RemarketingQueueField
{
    public const string CaseId = "case_id";
    public const string AccountId = "account_id";
    public const string Vin = "vin";
    public const string GroundingDealerId = "grounding_dealer_id";
    public const string DealerState = "dealer_state";
    public const string TerminationType = "termination_type";
    public const string Reason = "reason";
    public const string At = "at";
}
