using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote.Domain;

/// <summary>A vehicle coming back: the dealer's notice of the return, and corrections to its odometer statement.</summary>
public static class Returns
{
    /// <summary>What is wrong with <paramref name="notice"/> before any account is read; throws InvalidArgument or FailedPrecondition.</summary>
    public static void Check(ReturnNotice notice, DateOnly today)
    {
        var returnDate = notice.ReturnDate ?? throw DomainException.InvalidArgument("return_date is required");
        if (returnDate > today)
            throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}): notify a return once the vehicle is back");
        if (!UsStates.IsState(notice.DealerState.Trim().ToUpperInvariant()))
            throw DomainException.InvalidArgument($"dealer_state '{notice.DealerState}' is not a two-letter US state code");
        if (notice.Disposition is null)
            throw DomainException.InvalidArgument("disposition is required: LESSEE_RETURN, DEALER_PURCHASE_FOR_LESSEE or DEALER_PURCHASE_FOR_INVENTORY");
        OdometerReading.Check(notice.OdometerMiles);
        if (!notice.OdometerSignedByLessee)
        {
            throw DomainException.FailedPrecondition(
                "the odometer statement must be signed by the lessee: have the lessee sign it, then notify the return with odometer_signed_by_lessee " +
                "(the lessee keeps a copy, which Quote sends as a letter)");
        }
        if (notice.ReturnedItems.Keys is < 0 or > 20 || notice.ReturnedItems.KeylessRemotes is < 0 or > 20)
            throw DomainException.InvalidArgument("returned keys and keyless remotes are counted 0-20");
    }

    /// <summary>
    /// The return <paramref name="dealer"/> notifies on <paramref name="stored"/> (null: no such
    /// account), once <see cref="Check"/> passed: a new case, the lessee's copy of its odometer
    /// statement, and remarketing started or held for the dealer's purchase.
    /// </summary>
    public static Decision<CaseAnswer> NotifyReturn(
        this LeaseAccountRecord? stored, Caller dealer, ReturnNotice notice, string vin, DealerRecord? franchise, DateTimeOffset now, QuoteOptions options)
    {
        var accountId = notice.AccountId.Trim();
        var account = stored is not null && stored.Terms.Vin == vin ? stored : throw QuoteAccess.NoAccountForVehicle(accountId, vin);
        if (DealerRecord.WhyNotAuthorized(franchise, dealer.Subject, account.Terms.Make) is { } unauthorized)
            throw DomainException.PermissionDenied(unauthorized);
        if (account.WhyClosed() is { } closed)
            throw DomainException.FailedPrecondition($"lease account {accountId} {closed}: its lease has already ended");
        if (account.LatestCase is { IsOpen: true } open)
        {
            // Another dealer's case is its own business: this dealer learns only that the car is already back.
            throw DomainException.FailedPrecondition(open.GroundingDealerId == dealer.Subject
                ? $"lease account {accountId} already has return case {open.CaseId} open ({open.State})"
                : $"the vehicle of lease account {accountId} has already been returned at another dealer: ask the remarketing center");
        }
        var terms = account.Terms;
        var returnDate = notice.ReturnDate!.Value;
        if (returnDate < terms.StartDate)
            throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
        OdometerReading.Check(notice.OdometerMiles, terms);

        var dealerState = notice.DealerState.Trim().ToUpperInvariant();
        var disposition = notice.Disposition!.Value;
        var purchase = disposition != Disposition.LesseeReturn;
        var daysPastEnd = returnDate.DayNumber - account.ScheduledEndDate.DayNumber;
        var returnCase = new ReturnCaseRecord(
            CaseId: $"{accountId}-R{account.Cases.Count + 1}",
            GroundingDealerId: dealer.Subject,
            DealerState: dealerState,
            ReturnDate: returnDate,
            Termination: terms.IsEarlyTermination(returnDate) ? Termination.Early : Termination.NormalMaturity,
            Odometer: new OdometerRecord(notice.OdometerMiles, notice.OdometerSignedByLessee, now),
            ReturnedItems: notice.ReturnedItems,
            Disposition: disposition,
            State: purchase ? CaseState.HeldForDealerPurchase : CaseState.InRemarketing,
            NotifiedAt: now)
        {
            HoldUntil = purchase ? now + options.DealerPurchaseHold : null,
            Journey = Journey.Current,
            // The vehicle is back: refusing the notice would leave it with nobody deciding. It is taken, and flagged.
            ReviewFlags = daysPastEnd > options.MaxDaysPastScheduledEnd
                ? [new ReviewFlag(ReviewFlag.LateReturn,
                    $"returned {daysPastEnd} days after the scheduled end ({account.ScheduledEndDate:yyyy-MM-dd}); past {options.MaxDaysPastScheduledEnd} days " +
                    "this system has no rule for what keeping the vehicle costs, and charges nothing for it: the remarketing center decides what is owed",
                    now)]
                : [],
        };
        // The lessee's copy of the statement it signed.
        var copy = new LetterRecord($"{returnCase.CaseId}-odometer", LetterType.OdometerStatement, now,
            [new Line("odometer_statement",
                $"Odometer statement signed by the lessee: {notice.OdometerMiles:N0} mi at the return on {returnDate:yyyy-MM-dd} to dealer {dealer.Subject} ({dealerState}), VIN {vin}", 0)]);
        var updated = (account with { State = AccountStatus.InTermination, Cases = [.. account.Cases, returnCase] }).WithLetter(copy);
        SideRecord[] records =
        [
            new SideRecord.CaseIndexed(returnCase.CaseId),
            new SideRecord.ReturnKitUnscheduled(),
            purchase
                ? new SideRecord.HoldScheduled(returnCase.HoldUntil!.Value)
                : new SideRecord.QueuedForRemarketing(RemarketingHandOff.For(updated, returnCase, "lessee_return")),
        ];
        return new Decision<CaseAnswer>(updated, new CaseAnswer(accountId, returnCase)) { SideRecords = records };
    }

    /// <summary>A corrected odometer statement, before the inspection; only the remarketing center may lower it.</summary>
    public static Decision<CaseAnswer> RecordOdometer(this LeaseAccountRecord account, Caller caller, OdometerUpdate statement, DateTimeOffset now)
    {
        var returnCase = QuoteAccess.CaseFor(caller, account, statement.CaseId);
        if (returnCase.State is not (CaseState.InRemarketing or CaseState.HeldForDealerPurchase) || returnCase.Inspection is not null)
            throw DomainException.FailedPrecondition($"the odometer statement of case {returnCase.CaseId} can no longer change: the case is {returnCase.State}");
        OdometerReading.Check(statement.OdometerMiles, account.Terms);
        if (statement.OdometerMiles < returnCase.Odometer.Miles && caller.Role != RoleNames.Remarketing)
        {
            throw DomainException.FailedPrecondition(
                $"an odometer does not go backwards: the statement says {returnCase.Odometer.Miles:N0} mi; only the remarketing center can correct it down to {statement.OdometerMiles:N0}");
        }
        var changed = returnCase with { Odometer = new OdometerRecord(statement.OdometerMiles, statement.SignedByLessee, now) };
        return new Decision<CaseAnswer>(account.WithCase(changed), new CaseAnswer(account.Terms.AccountId, changed));
    }
}
