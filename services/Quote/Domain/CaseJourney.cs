using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Quote.Domain;

/// <summary>
/// Where a case is in the lease-end lifecycle: Quote's own steps (from the case as it stands) and
/// the steps the other services reported, in time order, and what the case waits for now.
/// </summary>
public static class CaseJourney
{
    public const string QuoteSource = "quote";

    /// <summary>The steps the other services report; Quote's own come from the case itself.</summary>
    public static bool IsReported(JourneyStep step) => step is not (JourneyStep.ReturnNotified or JourneyStep.HeldForDealerPurchase
        or JourneyStep.DealerPurchaseCompleted or JourneyStep.SentToRemarketing or JourneyStep.Inspected or JourneyStep.Sold
        or JourneyStep.Unsold or JourneyStep.Settled);

    public static CaseStatusAnswer Status(LeaseAccountRecord account, ReturnCaseRecord returnCase)
    {
        var events = Timeline(account, returnCase);
        var (waitingFor, dueBy) = WaitingFor(returnCase, events);
        // The account is done with, the vehicle may not be: say both.
        if (returnCase.State == CaseState.Settled && waitingFor.Length > 0)
            waitingFor = (events.Any(step => step.Step == JourneyStep.Released) ? "settled, not yet delivered: " : "settled, not yet released: ") + waitingFor;
        return new CaseStatusAnswer(returnCase.CaseId, account.Terms.AccountId, account.Terms.Vin, returnCase.State, events, waitingFor, dueBy, waitingFor.Length == 0);
    }

    private static List<CaseEventRecord> Timeline(LeaseAccountRecord account, ReturnCaseRecord returnCase)
    {
        var own = new List<CaseEventRecord> { Own(JourneyStep.ReturnNotified, returnCase.NotifiedAt, $"{returnCase.Disposition} at {returnCase.GroundingDealerId} ({returnCase.DealerState}), {returnCase.Termination}") };
        if (returnCase.HoldUntil is { } holdUntil)
        {
            own.Add(Own(JourneyStep.HeldForDealerPurchase, returnCase.NotifiedAt, "remarketing held for the dealer purchase", holdUntil));
            if (returnCase.State == CaseState.Purchased)
                own.Add(Own(JourneyStep.DealerPurchaseCompleted, SettlementDate(account) ?? returnCase.NotifiedAt, "the dealer purchase was completed within the hold"));
            else if (returnCase.State != CaseState.HeldForDealerPurchase)
                own.Add(Own(JourneyStep.SentToRemarketing, holdUntil, "the hold lapsed: remarketing starts"));
        }
        else
        {
            own.Add(Own(JourneyStep.SentToRemarketing, returnCase.NotifiedAt, "a lessee return: remarketing starts at once"));
        }
        if (returnCase.Inspection is { } inspection)
            own.Add(Own(JourneyStep.Inspected, inspection.InspectedAt, $"condition report {inspection.ConditionReportId}: {inspection.OdometerMiles} mi, excess wear {Cents.Format(inspection.ExcessWear.Sum(item => item.ChargeCents))}", reference: inspection.ConditionReportId));
        foreach (var result in returnCase.AuctionResult is { } standing ? [.. returnCase.EarlierAuctionResults, standing] : returnCase.EarlierAuctionResults)
        {
            own.Add(result.Sold
                ? Own(JourneyStep.Sold, result.ClosedAt, $"sold for {Cents.Format(result.SalePriceCents)}", reference: result.ListingId)
                : Own(JourneyStep.Unsold, result.ClosedAt, "did not sell", reference: result.ListingId));
        }
        if (returnCase.State == CaseState.Settled && SettlementDate(account) is { } settled)
            own.Add(Own(JourneyStep.Settled, settled, "settlement letter sent"));
        // Stable: at the same instant, the order of the steps decides.
        return [.. own.Concat(returnCase.Events).OrderBy(step => step.At).ThenBy(step => step.Step)];
    }

    private static (string WaitingFor, DateTimeOffset? DueBy) WaitingFor(ReturnCaseRecord returnCase, IReadOnlyList<CaseEventRecord> events)
    {
        var last = events.Where(step => step.Step is not JourneyStep.ReleaseRefused).LastOrDefault();
        var reached = events.Select(step => step.Step).ToHashSet();
        switch (returnCase.State)
        {
            case CaseState.Purchased:
                return ("", null);
            case CaseState.HeldForDealerPurchase:
                return ("the dealer to complete the purchase, or the 72-hour hold to lapse", returnCase.HoldUntil);
        }
        if (reached.Contains(JourneyStep.Delivered))
        {
            return returnCase.State switch
            {
                CaseState.Sold => ("the settlement", null),
                CaseState.Unsold or CaseState.Inspected =>
                    ("the sale at the physical auction, which the remarketing center records (RecordAuctionResult): the settlement follows it", null),
                _ => ("", null),
            };
        }
        if (reached.Contains(JourneyStep.Released))
            return ("the carrier or buyer to confirm delivery", null);
        var sold = returnCase.State is CaseState.Sold or CaseState.Settled;
        if (reached.Contains(JourneyStep.CarrierAssigned) || (reached.Contains(JourneyStep.PickupOrdered) && sold))
            return ("the grounding dealer to release the vehicle against the matching document", Due(events, JourneyStep.PickupOrdered));
        if (reached.Contains(JourneyStep.PickupOrdered))
            return ("a carrier to be assigned to the transporter pickup", Due(events, JourneyStep.PickupOrdered));
        if (sold || returnCase.State == CaseState.Unsold)
            return ("Transport to order the pickup", null);
        if (reached.Contains(JourneyStep.Listed))
            return ("the SmartAuction listing to close", null);
        if (returnCase.State == CaseState.Inspected)
            return ("the listing on SmartAuction, or a transporter pickup if not eligible", null);
        if (reached.Contains(JourneyStep.QueuedForRemarketingCenter))
            return ("the remarketing center: no third-party inspection where the vehicle stands", null);
        if (reached.Contains(JourneyStep.InspectionAccepted))
            return ("the inspector's condition report", Due(events, JourneyStep.InspectionScheduled));
        if (reached.Contains(JourneyStep.InspectionScheduled))
            return ("an inspector to accept the inspection", Due(events, JourneyStep.InspectionScheduled));
        return (last?.Step == JourneyStep.SentToRemarketing ? "Inspection to order the inspection" : "the next step", null);
    }

    private static DateTimeOffset? Due(IReadOnlyList<CaseEventRecord> events, JourneyStep step) => events.LastOrDefault(candidate => candidate.Step == step)?.DueBy;

    private static DateTimeOffset? SettlementDate(LeaseAccountRecord account) =>
        account.Letters.LastOrDefault(letter => letter.Kind == LetterType.Settlement)?.Dated;

    private static CaseEventRecord Own(JourneyStep step, DateTimeOffset at, string detail, DateTimeOffset? dueBy = null, string reference = "") =>
        new(step, at, reference, detail, QuoteSource, dueBy);
}
