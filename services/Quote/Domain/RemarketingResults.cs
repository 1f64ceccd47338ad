using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote.Domain;

/// <summary>
/// What the other services report about a case: the inspection's result, a listing about to open,
/// and the auction's result (or the remarketing center's sale elsewhere). Quote decides the
/// vehicle's one disposal (<see cref="Disposal"/>).
/// </summary>
public static class RemarketingResults
{
    public static void Check(InspectionReport report)
    {
        Ids.Required(report.ConditionReportId, "condition_report_id");
        if (report.ExcessWear.Count > 200)
            throw DomainException.InvalidArgument($"{report.ExcessWear.Count} excess wear items is more than a condition report holds (200)");
        if (report.ExcessWear.FirstOrDefault(item => item.Description.Trim().Length == 0) is not null)
            throw DomainException.InvalidArgument("every excess wear item needs a description");
        if (report.ExcessWear.FirstOrDefault(item => item.ChargeCents is < 0 or > LeaseTerms.MaximumAmountCents) is { } badCharge)
            throw DomainException.InvalidArgument($"the charge for '{badCharge.Description.Trim()}' ({Cents.Format(badCharge.ChargeCents)}) must be $0.00-{Cents.Format(LeaseTerms.MaximumAmountCents)}");
    }

    public static Decision<CaseAnswer> RecordInspectionResult(this LeaseAccountRecord account, InspectionReport report, DateTimeOffset now, QuoteOptions options)
    {
        var inspectedAt = ReportedTime(report.InspectedAt, "inspected_at", "the inspection was done", now, options);
        var returnCase = account.Case(report.CaseId);
        if (returnCase.Inspection is { } earlier)
            throw DomainException.FailedPrecondition($"case {returnCase.CaseId} was already inspected (condition report {earlier.ConditionReportId})");
        if (returnCase.State != CaseState.InRemarketing)
            throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not in remarketing (it is {returnCase.State}): there is nothing to inspect for");
        OdometerReading.Check(report.OdometerMiles, account.Terms);
        CheckNotBeforeTheReturn(inspectedAt, "inspected_at", "the inspection", returnCase);
        var statement = returnCase.Odometer.Miles;
        if (statement - report.OdometerMiles > options.InspectionOdometerToleranceMiles)
        {
            throw DomainException.FailedPrecondition(
                $"the inspector's odometer ({report.OdometerMiles:N0} mi) is {statement - report.OdometerMiles:N0} mi below the odometer statement signed at the return " +
                $"({statement:N0} mi; at most {options.InspectionOdometerToleranceMiles:N0} mi below is taken): an odometer does not go backwards, so one reading is wrong. " +
                $"The remarketing center corrects the statement of case {returnCase.CaseId} (RecordOdometer), or the inspector reads the odometer again; then send the result again");
        }
        var wear = report.ExcessWear.Select(item => item with { Description = item.Description.Trim() }).ToList();
        var inspected = returnCase with
        {
            State = CaseState.Inspected,
            Inspection = new InspectionRecord(report.ConditionReportId.Trim(), report.OdometerMiles, wear, inspectedAt),
        };
        var updated = account.WithCase(inspected);
        if (inspected.IsEarlyTermination)
        {
            updated = updated.WithLetter(new LetterRecord(
                $"{inspected.CaseId}-et-pre-sale", LetterType.EarlyTerminationPreSale, now, LeaseEndQuotes.EarlyTerminationPreSale(updated, inspected).Lines));
        }
        return new Decision<CaseAnswer>(updated, new CaseAnswer(account.Terms.AccountId, inspected));
    }

    public static void Check(AuctionReport report)
    {
        Ids.Required(report.ListingId, "listing_id");
        if (report.Sold && report.SalePriceCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"a sold vehicle needs its sale price: {Cents.Format(report.SalePriceCents)} is not one");
        if (!report.Sold && report.SalePriceCents != 0)
            throw DomainException.InvalidArgument("an unsold vehicle has no sale price: leave sale_price_cents 0");
    }

    /// <summary>A service's result is its listing's; a person's (the remarketing center's) is a sale elsewhere, which a live listing forbids.</summary>
    public static Decision<CaseAnswer> RecordAuctionResult(this LeaseAccountRecord account, Caller caller, AuctionReport report, DateTimeOffset now, QuoteOptions options)
    {
        var listingId = report.ListingId.Trim();
        var closedAt = ReportedTime(report.ClosedAt, "closed_at", "the auction closed", now, options);
        var returnCase = account.Case(report.CaseId);
        if (returnCase.WhyNoResult(listingId, fromTheListing: caller.Role == Contracts.RoleNames.Service) is { } refusal)
            throw DomainException.FailedPrecondition(refusal);
        CheckNotBeforeTheReturn(closedAt, "closed_at", "the auction", returnCase);
        if (returnCase.Inspection is { } inspection && closedAt < inspection.InspectedAt)
        {
            throw DomainException.InvalidArgument(
                $"closed_at {closedAt:yyyy-MM-dd HH:mm:ss}Z is before the inspection of case {returnCase.CaseId} ({inspection.InspectedAt:yyyy-MM-dd HH:mm:ss}Z): " +
                "a vehicle is listed only once inspected; give the time the auction closed");
        }
        var result = new AuctionResultRecord(listingId, report.Sold, report.SalePriceCents, closedAt);
        var changed = returnCase with
        {
            State = report.Sold ? CaseState.Sold : CaseState.Unsold,
            AuctionResult = result,
            EarlierAuctionResults = returnCase.AuctionResult is { } earlier ? [.. returnCase.EarlierAuctionResults, earlier] : returnCase.EarlierAuctionResults,
        };
        var updated = account.WithCase(changed);
        var (settlement, final) = LeaseEndQuotes.Settlement(updated, changed);
        if (final)
        {
            changed = changed with { State = CaseState.Settled };
            updated = updated.WithCase(changed).WithLetter(new LetterRecord($"{changed.CaseId}-settlement", LetterType.Settlement, now, settlement.Lines))
                with
            { State = AccountStatus.Closed };
        }
        return new Decision<CaseAnswer>(updated, new CaseAnswer(account.Terms.AccountId, changed));
    }

    /// <summary>The Auction service asks before a listing for the case opens: the case goes on that one listing, or it is refused, naming why.</summary>
    public static Decision<CaseAnswer> OpenListing(this LeaseAccountRecord account, ListingOpening opening, DateTimeOffset now)
    {
        var listingId = Ids.Required(opening.ListingId, "listing_id");
        var returnCase = account.Case(opening.CaseId);
        if (opening.Vin.Length > 0 && !string.Equals(opening.Vin.Trim(), account.Terms.Vin, StringComparison.OrdinalIgnoreCase))
            throw DomainException.FailedPrecondition($"return case {returnCase.CaseId} is VIN {account.Terms.Vin}, not {opening.Vin.Trim()}: a listing names the case's own vehicle");
        if (returnCase.WhyNotListed(listingId) is { } refusal)
            throw DomainException.FailedPrecondition(refusal);
        if (returnCase.SmartAuctionListing is not null)
            return new Decision<CaseAnswer>(account, new CaseAnswer(account.Terms.AccountId, returnCase));
        var listed = returnCase with { SmartAuctionListing = new OpenListingRecord(listingId, now) };
        return new Decision<CaseAnswer>(account.WithCase(listed), new CaseAnswer(account.Terms.AccountId, listed));
    }

    /// <summary>
    /// An instant another service reports, or now if it gives none: not in the future (beyond
    /// <see cref="QuoteOptions.ReportedTimeTolerance"/>, for clocks that differ slightly).
    /// </summary>
    private static DateTimeOffset ReportedTime(DateTimeOffset? reported, string field, string what, DateTimeOffset now, QuoteOptions options)
    {
        if (reported is not { } instant)
            return now;
        if (instant > now + options.ReportedTimeTolerance)
            throw DomainException.InvalidArgument($"{field} {instant:yyyy-MM-dd HH:mm:ss}Z is in the future (the clock reads {now:yyyy-MM-dd HH:mm:ss}Z): give the time {what}");
        return instant;
    }

    /// <summary>What happens to a returned vehicle happens on or after its return date (midnight UTC starting it).</summary>
    private static void CheckNotBeforeTheReturn(DateTimeOffset instant, string field, string what, ReturnCaseRecord returnCase)
    {
        if (instant < new DateTimeOffset(returnCase.ReturnDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))
        {
            throw DomainException.InvalidArgument(
                $"{field} {instant:yyyy-MM-dd HH:mm:ss}Z is before the vehicle was returned ({returnCase.ReturnDate:yyyy-MM-dd}, case {returnCase.CaseId}): " +
                $"{what} comes after the return; give its time");
        }
    }
}
