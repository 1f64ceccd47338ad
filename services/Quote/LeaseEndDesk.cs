using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service's operations, on plain values: checks what a caller may do, decides with the
/// domain (<see cref="LeaseEndCalculator"/>, <see cref="LeaseEndQuotes"/>) on the clock's time,
/// and stores the outcome through <see cref="QuoteStore"/>. Every refusal throws before anything
/// is written. <see cref="QuoteGrpcService"/> turns requests into these values and answers into
/// responses.
/// </summary>
public sealed class LeaseEndDesk(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options)
{
    private QuoteOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public async Task<AccountAnswer> CreateAccountAsync(Caller caller, NewAccount ask)
    {
        var terms = ask.Terms;
        if (terms.Problem(Today) is { } problem)
            throw DomainException.InvalidArgument(problem);
        var now = Now;
        return await store.ChangeAsync(terms.AccountId, IdempotentRequest.Of(nameof(CreateAccountAsync), caller, ask.RequestId, ask), existing =>
        {
            if (existing is not null)
                throw DomainException.AlreadyExists($"lease account {terms.AccountId} already exists");
            var account = new LeaseAccountRecord(terms, AccountStatus.Active, now);
            var kitDueAt = ReturnKitDueAt(account);
            if (kitDueAt <= now)
            {
                // Opened within the kit's days before the end, or after the end: the kit goes out now, dated now.
                account = ReturnKit.Sent(account, now, Options);
                return new Decision<AccountAnswer>(account, Answer(account, forDealer: false)) { SideRecords = [new SideRecord.VinIndexed(terms.Vin)] };
            }
            return new Decision<AccountAnswer>(account, Answer(account, forDealer: false))
            {
                SideRecords = [new SideRecord.ReturnKitScheduled(kitDueAt), new SideRecord.VinIndexed(terms.Vin)],
            };
        });
    }

    public async Task<AccountAnswer> GetAccountAsync(Caller caller, string accountId, string vin)
    {
        var account = await AccountForAsync(caller, accountId, vin);
        return Answer(account, forDealer: caller.Role == RoleNames.GroundingDealer);
    }

    public async Task<CaseAnswer> NotifyReturnAsync(Caller dealer, ReturnNotice notice)
    {
        var returnDate = notice.ReturnDate ?? throw DomainException.InvalidArgument("return_date is required");
        var today = Today;
        if (returnDate > today)
            throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}): notify a return once the vehicle is back");
        var dealerState = notice.DealerState.Trim().ToUpperInvariant();
        if (!UsStates.IsState(dealerState))
            throw DomainException.InvalidArgument($"dealer_state '{notice.DealerState}' is not a two-letter US state code");
        var disposition = notice.Disposition
            ?? throw DomainException.InvalidArgument("disposition is required: LESSEE_RETURN, DEALER_PURCHASE_FOR_LESSEE or DEALER_PURCHASE_FOR_INVENTORY");
        CheckOdometer(notice.OdometerMiles);
        if (!notice.OdometerSignedByLessee)
        {
            throw DomainException.FailedPrecondition(
                "the odometer statement must be signed by the lessee: have the lessee sign it, then notify the return with odometer_signed_by_lessee " +
                "(the lessee keeps a copy, which Quote sends as a letter)");
        }
        var items = notice.ReturnedItems;
        if (items.Keys is < 0 or > 20 || items.KeylessRemotes is < 0 or > 20)
            throw DomainException.InvalidArgument("returned keys and keyless remotes are counted 0-20");

        var accountId = Ids.Required(notice.AccountId, "account_id");
        var vin = RequiredVin(notice.Vin);
        var franchise = await store.FindDealerAsync(dealer.Subject);
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(NotifyReturnAsync), dealer, notice.RequestId, notice), stored =>
        {
            var account = stored is not null && stored.Terms.Vin == vin ? stored : throw NoAccountForVehicle(accountId, vin);
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
            if (returnDate < terms.StartDate)
                throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
            CheckOdometer(notice.OdometerMiles, terms);

            var purchase = disposition != Disposition.LesseeReturn;
            var daysPastEnd = returnDate.DayNumber - account.ScheduledEndDate.DayNumber;
            var returnCase = new ReturnCaseRecord(
                CaseId: $"{accountId}-R{account.Cases.Count + 1}",
                GroundingDealerId: dealer.Subject,
                DealerState: dealerState,
                ReturnDate: returnDate,
                Termination: terms.IsEarlyTermination(returnDate) ? Termination.Early : Termination.NormalMaturity,
                Odometer: new OdometerRecord(notice.OdometerMiles, notice.OdometerSignedByLessee, now),
                ReturnedItems: items,
                Disposition: disposition,
                State: purchase ? CaseState.HeldForDealerPurchase : CaseState.InRemarketing,
                NotifiedAt: now)
            {
                HoldUntil = purchase ? now + Options.DealerPurchaseHold : null,
                Journey = Journey.Current,
                // The vehicle is back: refusing the notice would leave it with nobody deciding. It is taken, and flagged.
                ReviewFlags = daysPastEnd > Options.MaxDaysPastScheduledEnd
                    ? [new ReviewFlag(ReviewFlag.LateReturn,
                        $"returned {daysPastEnd} days after the scheduled end ({account.ScheduledEndDate:yyyy-MM-dd}); past {Options.MaxDaysPastScheduledEnd} days " +
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
        });
    }

    public async Task<CaseAnswer> RecordOdometerAsync(Caller caller, OdometerUpdate statement)
    {
        var accountId = await store.AccountOfCaseAsync(statement.CaseId);
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(RecordOdometerAsync), caller, statement.RequestId, statement), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(statement.CaseId);
            CheckMayActOn(caller, returnCase);
            if (returnCase.State is not (CaseState.InRemarketing or CaseState.HeldForDealerPurchase) || returnCase.Inspection is not null)
                throw DomainException.FailedPrecondition($"the odometer statement of case {returnCase.CaseId} can no longer change: the case is {returnCase.State}");
            CheckOdometer(statement.OdometerMiles, account.Terms);
            if (statement.OdometerMiles < returnCase.Odometer.Miles && caller.Role != RoleNames.Remarketing)
            {
                throw DomainException.FailedPrecondition(
                    $"an odometer does not go backwards: the statement says {returnCase.Odometer.Miles:N0} mi; only the remarketing center can correct it down to {statement.OdometerMiles:N0}");
            }
            var changed = returnCase with { Odometer = new OdometerRecord(statement.OdometerMiles, statement.SignedByLessee, now) };
            return new Decision<CaseAnswer>(account.WithCase(changed), new CaseAnswer(accountId, changed));
        });
    }

    public async Task<CaseAnswer> GetReturnCaseAsync(Caller caller, string caseId)
    {
        var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
        var returnCase = account.Case(caseId);
        CheckMayActOn(caller, returnCase);
        return new CaseAnswer(account.Terms.AccountId, returnCase);
    }

    public async Task<QuoteAnswer> GetQuoteAsync(Caller caller, QuoteAsk ask)
    {
        var forDealer = caller.Role == RoleNames.GroundingDealer;
        if (ask.Kind == QuoteType.LesseeBuyout && forDealer)
            throw DomainException.PermissionDenied("a lessee buyout quote is between the lender and the lessee: ask for a Dealer Purchase for Lessee quote instead");
        var account = await AccountForAsync(caller, ask.AccountId, ask.Vin);
        if (account.WhyClosed() is { } closed)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} {closed}: there is nothing left to quote");
        // Once the vehicle is back, its figures stand as of the return date unless asked otherwise.
        var asOf = AsOf(account, ask.AsOf, account.LatestCase is { IsOpen: true } open ? open.ReturnDate : null);
        var figures = ask.Kind switch
        {
            QuoteType.DealerPurchaseForLessee => LeaseEndQuotes.DealerPurchase(account, asOf, Disposition.DealerPurchaseForLessee),
            QuoteType.DealerPurchaseForInventory => LeaseEndQuotes.DealerPurchase(account, asOf, Disposition.DealerPurchaseForInventory),
            QuoteType.LesseeReturn => LeaseEndQuotes.LesseeReturn(account, asOf, QuotedOdometer(account, ask.OdometerMiles)),
            QuoteType.LesseeBuyout => LeaseEndQuotes.LesseeBuyout(account, asOf, ask.ApplySecurityDeposit),
            _ => throw DomainException.InvalidArgument("kind is required: DEALER_PURCHASE_FOR_LESSEE, DEALER_PURCHASE_FOR_INVENTORY, LESSEE_RETURN or LESSEE_BUYOUT"),
        };
        var termination = account.Terms.IsEarlyTermination(asOf) ? Termination.Early : Termination.NormalMaturity;
        return new QuoteAnswer(account.Terms.AccountId, ask.Kind.Value, termination, figures, ValidUntil(account, asOf), asOf, forDealer);
    }

    public async Task<OptionsAnswer> CompareEarlyTerminationOptionsAsync(Caller caller, OptionsAsk ask)
    {
        var account = await AccountForAsync(caller, ask.AccountId, ask.Vin);
        if (account.State != AccountStatus.Active)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} is {account.State}: its options are no longer open");
        var asOf = AsOf(account, ask.AsOf, defaultDate: null);
        if (!account.Terms.IsEarlyTermination(asOf))
        {
            throw DomainException.FailedPrecondition(
                $"on {asOf:yyyy-MM-dd} the lease is at or past its maturity date ({account.Terms.MaturityDate:yyyy-MM-dd}): that is not an early termination; ask for quotes instead");
        }
        RequiredOdometer(ask.OdometerMiles, account.Terms, "to compare the early termination options");

        var forDealer = caller.Role == RoleNames.GroundingDealer;
        var options = LeaseEndQuotes.EarlyTerminationOptions(account, asOf, ask.OdometerMiles, ExtensionDaysAvailable(account))
            // The lessee buyout is between the lender and the lessee: a dealer compares the other options.
            .Where(option => !(forDealer && option.Kind == LeaseEndOption.BuyNow))
            .Select(option => new OptionFigures(option.Kind, option.Figures))
            .ToList();
        return new OptionsAnswer(account.Terms.AccountId, asOf, options, forDealer);
    }

    public async Task<CaseAnswer> CompleteDealerPurchaseAsync(Caller caller, PurchaseCompletion completion)
    {
        var accountId = await store.AccountOfCaseAsync(completion.CaseId);
        var proof = completion.ProofOfResaleId.Trim();
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(CompleteDealerPurchaseAsync), caller, completion.RequestId, completion), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(completion.CaseId);
            CheckMayActOn(caller, returnCase);
            if (returnCase.State != CaseState.HeldForDealerPurchase)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not held for a dealer purchase: it is {returnCase.State}");
            if (now >= returnCase.HoldUntil)
            {
                throw DomainException.FailedPrecondition(
                    $"the {Options.DealerPurchaseHold.TotalHours:0}-hour hold on case {returnCase.CaseId} ended at {returnCase.HoldUntil:yyyy-MM-dd HH:mm:ss}Z: the vehicle goes to remarketing");
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
            return new Decision<CaseAnswer>(updated, new CaseAnswer(accountId, purchased)) { SideRecords = [new SideRecord.HoldUnscheduled()] };
        });
    }

    public async Task<ExtensionAnswer> ExtendLeaseAsync(Caller caller, ExtensionAsk ask)
    {
        if (ask.Days < 1 || ask.Days > Options.MaxDaysPerExtension)
            throw DomainException.InvalidArgument($"an extension is 1-{Options.MaxDaysPerExtension} days; {ask.Days} were asked");
        var accountId = Ids.Required(ask.AccountId, "account_id");
        var now = Now;
        var today = Today;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(ExtendLeaseAsync), caller, ask.RequestId, ask), stored =>
        {
            var account = Existing(stored, accountId);
            if (account.State != AccountStatus.Active)
                throw DomainException.FailedPrecondition($"only an active lease can be extended: lease account {accountId} is {account.State}");
            var windowOpens = account.ScheduledEndDate.AddDays(-Options.ExtensionWindowDays);
            if (today < windowOpens)
            {
                throw DomainException.FailedPrecondition(
                    $"lease account {accountId} is scheduled to end {account.ScheduledEndDate:yyyy-MM-dd}: an extension is granted only within " +
                    $"{Options.ExtensionWindowDays} days of the scheduled end; ask on or after {windowOpens:yyyy-MM-dd}");
            }
            if (account.Extensions.Count >= Options.MaxExtensions)
                throw DomainException.FailedPrecondition($"lease account {accountId} already has {account.Extensions.Count} extensions, the most that are approved");
            if (account.ExtensionDays + ask.Days > Options.MaxTotalExtensionDays)
            {
                throw DomainException.FailedPrecondition(
                    $"lease account {accountId} has been extended {account.ExtensionDays} days; {ask.Days} more would pass the limit of {Options.MaxTotalExtensionDays} " +
                    $"(at most {Options.MaxTotalExtensionDays - account.ExtensionDays} more)");
            }
            // An extension runs on from the scheduled end, and must end after today: days already past are not extended into.
            var newEnd = account.ScheduledEndDate.AddDays(ask.Days);
            if (newEnd <= today)
            {
                throw DomainException.FailedPrecondition(
                    $"lease account {accountId} was scheduled to end {account.ScheduledEndDate:yyyy-MM-dd}: {ask.Days} days from then end {newEnd:yyyy-MM-dd}, " +
                    $"not after today ({today:yyyy-MM-dd}); ask for at least {today.DayNumber - account.ScheduledEndDate.DayNumber + 1} days");
            }
            var extension = new ExtensionRecord(ask.Days, ask.Days * account.Terms.ExtensionDailyFeeCents, newEnd, now);
            var updated = account with { Extensions = [.. account.Extensions, extension] };
            return new Decision<ExtensionAnswer>(updated, new ExtensionAnswer(accountId, extension))
            {
                SideRecords = updated.ReturnKitSentAt is null ? [new SideRecord.ReturnKitScheduled(ReturnKitDueAt(updated))] : [],
            };
        });
    }

    public async Task<CaseAnswer> RecordInspectionResultAsync(Caller caller, InspectionReport report)
    {
        var reportId = Ids.Required(report.ConditionReportId, "condition_report_id");
        if (report.ExcessWear.Count > 200)
            throw DomainException.InvalidArgument($"{report.ExcessWear.Count} excess wear items is more than a condition report holds (200)");
        var wear = report.ExcessWear.Select(item => item with { Description = item.Description.Trim() }).ToList();
        if (wear.FirstOrDefault(item => item.Description.Length == 0) is not null)
            throw DomainException.InvalidArgument("every excess wear item needs a description");
        if (wear.FirstOrDefault(item => item.ChargeCents is < 0 or > LeaseTerms.MaximumAmountCents) is { } badCharge)
            throw DomainException.InvalidArgument($"the charge for '{badCharge.Description}' ({Cents.Format(badCharge.ChargeCents)}) must be $0.00-{Cents.Format(LeaseTerms.MaximumAmountCents)}");
        var now = Now;
        var inspectedAt = ReportedTime(report.InspectedAt, "inspected_at", "the inspection was done", now);
        var accountId = await store.AccountOfCaseAsync(report.CaseId);
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(RecordInspectionResultAsync), caller, report.RequestId, report), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(report.CaseId);
            if (returnCase.Inspection is { } earlier)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} was already inspected (condition report {earlier.ConditionReportId})");
            if (returnCase.State != CaseState.InRemarketing)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not in remarketing (it is {returnCase.State}): there is nothing to inspect for");
            CheckOdometer(report.OdometerMiles, account.Terms);
            CheckNotBeforeTheReturn(inspectedAt, "inspected_at", "the inspection", returnCase);
            var statement = returnCase.Odometer.Miles;
            if (statement - report.OdometerMiles > Options.InspectionOdometerToleranceMiles)
            {
                throw DomainException.FailedPrecondition(
                    $"the inspector's odometer ({report.OdometerMiles:N0} mi) is {statement - report.OdometerMiles:N0} mi below the odometer statement signed at the return " +
                    $"({statement:N0} mi; at most {Options.InspectionOdometerToleranceMiles:N0} mi below is taken): an odometer does not go backwards, so one reading is wrong. " +
                    $"The remarketing center corrects the statement of case {returnCase.CaseId} (RecordOdometer), or the inspector reads the odometer again; then send the result again");
            }
            var inspected = returnCase with
            {
                State = CaseState.Inspected,
                Inspection = new InspectionRecord(reportId, report.OdometerMiles, wear, inspectedAt),
            };
            var updated = account.WithCase(inspected);
            if (inspected.IsEarlyTermination)
            {
                updated = updated.WithLetter(new LetterRecord(
                    $"{inspected.CaseId}-et-pre-sale", LetterType.EarlyTerminationPreSale, now, LeaseEndQuotes.EarlyTerminationPreSale(updated, inspected).Lines));
            }
            return new Decision<CaseAnswer>(updated, new CaseAnswer(accountId, inspected));
        });
    }

    public async Task<CaseAnswer> RecordAuctionResultAsync(Caller caller, AuctionReport report)
    {
        var listingId = Ids.Required(report.ListingId, "listing_id");
        if (report.Sold && report.SalePriceCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"a sold vehicle needs its sale price: {Cents.Format(report.SalePriceCents)} is not one");
        if (!report.Sold && report.SalePriceCents != 0)
            throw DomainException.InvalidArgument("an unsold vehicle has no sale price: leave sale_price_cents 0");
        var now = Now;
        var closedAt = ReportedTime(report.ClosedAt, "closed_at", "the auction closed", now);
        var accountId = await store.AccountOfCaseAsync(report.CaseId);
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(RecordAuctionResultAsync), caller, report.RequestId, report), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(report.CaseId);
            // A service's result is its listing's; a person's is a sale elsewhere, which a live listing forbids.
            if (returnCase.WhyNoResult(listingId, fromTheListing: caller.Role == RoleNames.Service) is { } refusal)
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
            return new Decision<CaseAnswer>(updated, new CaseAnswer(accountId, changed));
        });
    }

    /// <summary>The Auction service asks before a listing for the case opens: Quote decides the vehicle's one disposal.</summary>
    public async Task<CaseAnswer> OpenListingAsync(Caller caller, ListingOpening opening)
    {
        var listingId = Ids.Required(opening.ListingId, "listing_id");
        var accountId = await store.AccountOfCaseAsync(opening.CaseId);
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(OpenListingAsync), caller, opening.RequestId, opening), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(opening.CaseId);
            if (opening.Vin.Length > 0 && !string.Equals(opening.Vin.Trim(), account.Terms.Vin, StringComparison.OrdinalIgnoreCase))
                throw DomainException.FailedPrecondition($"return case {returnCase.CaseId} is VIN {account.Terms.Vin}, not {opening.Vin.Trim()}: a listing names the case's own vehicle");
            if (returnCase.WhyNotListed(listingId) is { } refusal)
                throw DomainException.FailedPrecondition(refusal);
            if (returnCase.SmartAuctionListing is not null)
                return new Decision<CaseAnswer>(account, new CaseAnswer(accountId, returnCase));
            var listed = returnCase with { SmartAuctionListing = new OpenListingRecord(listingId, now) };
            return new Decision<CaseAnswer>(account.WithCase(listed), new CaseAnswer(accountId, listed));
        });
    }

    /// <summary>The center records a lessee buyout: the payoff received in full closes the account, releases the title and sends the settlement letter.</summary>
    public async Task<AccountAnswer> CompleteLesseeBuyoutAsync(Caller caller, BuyoutCompletion completion)
    {
        var accountId = Ids.Required(completion.AccountId, "account_id");
        if (completion.PaymentReceivedCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"payment_received_cents is required: the payoff the lessee paid ({Cents.Format(completion.PaymentReceivedCents)} is not one)");
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(CompleteLesseeBuyoutAsync), caller, completion.RequestId, completion), stored =>
        {
            var account = Existing(stored, accountId);
            var purchaseDate = DayWithinTheLease(account, completion.PurchaseDate ?? Today, "purchase_date", "the payoff was received");
            var refusal = account.WhyNotEnded(LeaseEndingType.LesseeBuyout)
                ?? account.WhyNotPaidInFull(purchaseDate, completion.ApplySecurityDeposit, completion.PaymentReceivedCents);
            if (refusal is not null)
                throw DomainException.FailedPrecondition(refusal);
            var ended = account.EndedBy(LeaseEndings.Buyout(account, purchaseDate, completion.ApplySecurityDeposit, now));
            return new Decision<AccountAnswer>(ended, Answer(ended, forDealer: false)) { SideRecords = [new SideRecord.ReturnKitUnscheduled()] };
        });
    }

    /// <summary>The center records a total loss: the insurer's payment settles the account, which closes with its letter; nothing is remarketed.</summary>
    public async Task<AccountAnswer> RecordTotalLossAsync(Caller caller, TotalLossReport report)
    {
        var accountId = Ids.Required(report.AccountId, "account_id");
        var claimId = Ids.Required(report.InsuranceClaimId, "insurance_claim_id");
        var lossDate = report.LossDate ?? throw DomainException.InvalidArgument("loss_date is required: the day the vehicle was lost");
        if (report.InsurerPaymentCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"insurer_payment_cents is required: what the insurer paid ({Cents.Format(report.InsurerPaymentCents)} is not one)");
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(RecordTotalLossAsync), caller, report.RequestId, report), stored =>
        {
            var account = Existing(stored, accountId);
            DayWithinTheLease(account, lossDate, "loss_date", "the vehicle was lost");
            if (account.WhyNotEnded(LeaseEndingType.TotalLoss) is { } refusal)
                throw DomainException.FailedPrecondition(refusal);
            var ended = account.EndedBy(LeaseEndings.TotalLoss(account, lossDate, claimId, report.InsurerPaymentCents, now));
            return new Decision<AccountAnswer>(ended, Answer(ended, forDealer: false)) { SideRecords = [new SideRecord.ReturnKitUnscheduled()] };
        });
    }

    public async Task<SettlementAnswer> GetSettlementAsync(string caseId)
    {
        var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
        var returnCase = account.Case(caseId);
        if (returnCase.State == CaseState.HeldForDealerPurchase)
        {
            throw DomainException.FailedPrecondition(
                $"case {caseId} is held for a dealer purchase until {returnCase.HoldUntil:yyyy-MM-dd HH:mm:ss}Z: it is settled when the purchase completes, " +
                "or after the sale if the hold lapses and the vehicle goes to remarketing");
        }
        var (figures, final) = LeaseEndQuotes.Settlement(account, returnCase);
        return new SettlementAnswer(caseId, account.Terms.AccountId, returnCase.Termination, figures, final);
    }

    public async Task<LettersAnswer> ListLettersAsync(string accountId)
    {
        var account = await store.GetAsync(Ids.Required(accountId, "account_id"));
        return new LettersAnswer(account.Terms.AccountId, [.. account.Letters.OrderBy(letter => letter.Dated)]);
    }

    public RetailFinancingAnswer CheckRetailFinancing(RetailFinancingAsk ask)
    {
        var inception = ask.Inception ?? Today;
        if (ask.ModelYear < 1900 || ask.ModelYear > inception.Year + 1)
            throw DomainException.InvalidArgument($"model_year {ask.ModelYear} cannot be a vehicle's model year at an inception in {inception.Year}");
        CheckOdometer(ask.OdometerMiles);
        return new RetailFinancingAnswer(
            RetailFinancing.Failures(ask.ModelYear, ask.OdometerMiles, inception, Options.RetailFinancingMaxModelYears, Options.RetailFinancingMaxOdometerMiles));
    }

    private DateTimeOffset ReturnKitDueAt(LeaseAccountRecord account) => ReturnKit.DueAt(account, Options.ReturnKitDaysBeforeEnd);

    private AccountAnswer Answer(LeaseAccountRecord account, bool forDealer) => new(account, ReturnKitDueAt(account), forDealer);

    private int ExtensionDaysAvailable(LeaseAccountRecord account) =>
        account.Extensions.Count >= Options.MaxExtensions ? 0 : Math.Min(Options.MaxDaysPerExtension, Options.MaxTotalExtensionDays - account.ExtensionDays);

    /// <summary>
    /// A quote holds for the validity period from the day it is issued (today on the clock),
    /// whatever date it is figured as of; while the lease runs, no longer than until the next
    /// payment after today and after its date falls due (which changes the payoff). So it never
    /// ends before it is issued.
    /// </summary>
    private DateTimeOffset ValidUntil(LeaseAccountRecord account, DateOnly asOf)
    {
        var terms = account.Terms;
        var today = Today;
        var end = today.AddDays(Options.QuoteValidityDays);
        var figuredFrom = asOf > today ? asOf : today;
        if (account.State == AccountStatus.Active && terms.PaymentDueDate(terms.PaymentsDueBy(figuredFrom)) is { } nextPayment && nextPayment < end)
            end = nextPayment;
        return StartOf(end);
    }

    /// <summary>Midnight UTC at the start of <paramref name="date"/>.</summary>
    private static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The date figures are made as of: not before the lease started, and a future date no later
    /// than <see cref="QuoteOptions.MaxDaysPastScheduledEnd"/> after the scheduled end (past it this
    /// system has no rule to figure by).
    /// </summary>
    private DateOnly AsOf(LeaseAccountRecord account, DateOnly? requested, DateOnly? defaultDate)
    {
        var terms = account.Terms;
        var asOf = requested ?? defaultDate ?? Today;
        if (asOf < terms.StartDate)
            throw DomainException.InvalidArgument($"as_of {asOf:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
        var latest = account.ScheduledEndDate.AddDays(Options.MaxDaysPastScheduledEnd);
        if (asOf > Today && asOf > latest)
        {
            throw DomainException.InvalidArgument(
                $"as_of {asOf:yyyy-MM-dd} is too far ahead: figures are made up to {Options.MaxDaysPastScheduledEnd} days after the scheduled end " +
                $"({account.ScheduledEndDate:yyyy-MM-dd}), so as of {latest:yyyy-MM-dd} at the latest");
        }
        return asOf;
    }

    /// <summary>A day something happened to the lease: not in the future, not before the lease started.</summary>
    private DateOnly DayWithinTheLease(LeaseAccountRecord account, DateOnly day, string field, string what)
    {
        if (day > Today)
            throw DomainException.InvalidArgument($"{field} {day:yyyy-MM-dd} is in the future (today is {Today:yyyy-MM-dd}): give the day {what}");
        if (day < account.Terms.StartDate)
            throw DomainException.InvalidArgument($"{field} {day:yyyy-MM-dd} is before the lease started ({account.Terms.StartDate:yyyy-MM-dd})");
        return day;
    }

    /// <summary>
    /// An instant another service reports, or now if it gives none: not in the future (beyond
    /// <see cref="QuoteOptions.ReportedTimeTolerance"/>, for clocks that differ slightly).
    /// </summary>
    private DateTimeOffset ReportedTime(DateTimeOffset? reported, string field, string what, DateTimeOffset now)
    {
        if (reported is not { } instant)
            return now;
        if (instant > now + Options.ReportedTimeTolerance)
            throw DomainException.InvalidArgument($"{field} {instant:yyyy-MM-dd HH:mm:ss}Z is in the future (the clock reads {now:yyyy-MM-dd HH:mm:ss}Z): give the time {what}");
        return instant;
    }

    /// <summary>What happens to a returned vehicle happens on or after its return date (midnight UTC starting it).</summary>
    private static void CheckNotBeforeTheReturn(DateTimeOffset instant, string field, string what, ReturnCaseRecord returnCase)
    {
        if (instant < StartOf(returnCase.ReturnDate))
        {
            throw DomainException.InvalidArgument(
                $"{field} {instant:yyyy-MM-dd HH:mm:ss}Z is before the vehicle was returned ({returnCase.ReturnDate:yyyy-MM-dd}, case {returnCase.CaseId}): " +
                $"{what} comes after the return; give its time");
        }
    }

    /// <summary>The odometer a Lessee Return is quoted with: the request's, else the open return's statement.</summary>
    private static long QuotedOdometer(LeaseAccountRecord account, long requested) =>
        requested == 0 && account.LatestCase is { IsOpen: true } open
            ? open.OdometerMiles
            : RequiredOdometer(requested, account.Terms, "to quote a Lessee Return before the return is notified");

    /// <summary>
    /// The vehicle's current odometer, which mileage figures need: unset (0) is refused the same way
    /// by every operation that figures mileage without a return's statement.
    /// </summary>
    private static long RequiredOdometer(long odometerMiles, LeaseTerms lease, string why)
    {
        if (odometerMiles == 0)
            throw DomainException.InvalidArgument($"odometer_miles is required {why}: the vehicle's current odometer reading");
        CheckOdometer(odometerMiles, lease);
        return odometerMiles;
    }

    private static void CheckOdometer(long odometerMiles, LeaseTerms? lease = null)
    {
        if (OdometerReading.Problem(odometerMiles, lease) is { } problem)
            throw DomainException.InvalidArgument(problem);
    }

    /// <summary>
    /// The account as <paramref name="caller"/> may reach it: the center and services by its number;
    /// a grounding dealer only for a vehicle it holds (the VIN on the lease, with the account
    /// number) or an account whose return it notified. A dealer asking for an account that does
    /// not exist and one asking with the wrong VIN get the same answer, so account numbers cannot
    /// be probed.
    /// </summary>
    private async Task<LeaseAccountRecord> AccountForAsync(Caller caller, string accountId, string vin)
    {
        var id = Ids.Required(accountId, "account_id");
        if (caller.Role != RoleNames.GroundingDealer)
            return await store.GetAsync(id);
        var account = await store.FindAsync(id);
        if (account is not null && account.Cases.Any(returnCase => returnCase.GroundingDealerId == caller.Subject))
            return account;
        var shown = RequiredVin(vin);
        return account is not null && account.Terms.Vin == shown ? account : throw NoAccountForVehicle(id, shown);
    }

    private static string RequiredVin(string vin)
    {
        var normalized = vin.Trim().ToUpperInvariant();
        if (normalized.Length == 0)
            throw DomainException.InvalidArgument("vin is required: the vehicle's VIN as on the lease agreement, to show you hold the vehicle");
        return Vin.Problem(normalized) is { } problem ? throw DomainException.InvalidArgument(problem) : normalized;
    }

    private static DomainException NoAccountForVehicle(string accountId, string vin) =>
        DomainException.NotFound($"no lease account {accountId} for VIN {vin}: check both against the lease agreement");

    /// <summary>
    /// A dealer acts only on the returns it notified; the center and services on any. Another
    /// dealer's case answers as a missing one: case ids carry the account number, so anything else
    /// would tell that the account exists.
    /// </summary>
    private static void CheckMayActOn(Caller caller, ReturnCaseRecord returnCase)
    {
        if (caller.Role == RoleNames.GroundingDealer && caller.Subject != returnCase.GroundingDealerId)
            throw QuoteStore.NoSuchCase(returnCase.CaseId);
    }

    private static LeaseAccountRecord Existing(LeaseAccountRecord? account, string accountId) =>
        account ?? throw DomainException.NotFound($"no lease account {accountId}");
}
