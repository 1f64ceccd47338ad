using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using static Remarketing.Quote.ProtoViews;
using LeaseTerms = Remarketing.Quote.Domain.LeaseTerms;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service's operations: checks what a request may do, decides with the domain
/// (<see cref="LeaseEndCalculator"/>, <see cref="LeaseEndQuotes"/>) on the clock's time, and
/// stores the outcome through <see cref="QuoteStore"/>. Every refusal throws before anything is written.
/// </summary>
public sealed class LeaseEndDesk(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options)
{
    private QuoteOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public async Task<LeaseAccount> CreateAccountAsync(Caller caller, CreateLeaseAccountRequest request)
    {
        var terms = ToDomain(request.Terms ?? throw DomainException.InvalidArgument("terms are required"));
        if (terms.Problem(Today) is { } problem)
            throw DomainException.InvalidArgument(problem);
        var now = Now;
        return await store.ChangeAsync(terms.AccountId, Idempotent(nameof(CreateAccountAsync), caller, request.RequestId, request), existing =>
        {
            if (existing is not null)
                throw DomainException.AlreadyExists($"lease account {terms.AccountId} already exists");
            var account = new LeaseAccountRecord(terms, AccountStatus.Active, now);
            return new Decision<LeaseAccount>(account, View(account)) { SideRecords = [new SideRecord.ReturnKitScheduled(ReturnKitDueAt(account))] };
        });
    }

    public async Task<LeaseAccount> GetAccountAsync(Caller caller, GetLeaseAccountRequest request)
    {
        var account = await AccountForAsync(caller, request.AccountId, request.Vin);
        return caller.Role == RoleNames.GroundingDealer ? ForDealer(View(account)) : View(account);
    }

    public async Task<ReturnCase> NotifyReturnAsync(Caller dealer, NotifyReturnRequest request)
    {
        var returnDate = ToDateOnly(request.ReturnDate, "return_date") ?? throw DomainException.InvalidArgument("return_date is required");
        var today = Today;
        if (returnDate > today)
            throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}): notify a return once the vehicle is back");
        var dealerState = request.DealerState.Trim().ToUpperInvariant();
        if (!UsStates.IsState(dealerState))
            throw DomainException.InvalidArgument($"dealer_state '{request.DealerState}' is not a two-letter US state code");
        var disposition = ToDomain(request.Disposition)
            ?? throw DomainException.InvalidArgument("disposition is required: LESSEE_RETURN, DEALER_PURCHASE_FOR_LESSEE or DEALER_PURCHASE_FOR_INVENTORY");
        CheckOdometer(request.OdometerMiles);
        var items = ToDomain(request.ReturnedItems);
        if (items.Keys is < 0 or > 20 || items.KeylessRemotes is < 0 or > 20)
            throw DomainException.InvalidArgument("returned keys and keyless remotes are counted 0-20");

        var accountId = RequiredId(request.AccountId, "account_id");
        var vin = RequiredVin(request.Vin);
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(NotifyReturnAsync), dealer, request.RequestId, request), stored =>
        {
            var account = stored is not null && stored.Terms.Vin == vin ? stored : throw NoAccountForVehicle(accountId, vin);
            if (account.State == AccountStatus.Closed)
                throw DomainException.FailedPrecondition($"lease account {accountId} is closed: its lease has already ended");
            if (account.LatestCase is { IsOpen: true } open)
                throw DomainException.FailedPrecondition($"lease account {accountId} already has return case {open.CaseId} open ({open.State})");
            var terms = account.Terms;
            if (returnDate < terms.StartDate)
                throw DomainException.InvalidArgument($"the return date {returnDate:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
            CheckOdometer(request.OdometerMiles, terms);

            var purchase = disposition != Disposition.LesseeReturn;
            var returnCase = new ReturnCaseRecord(
                CaseId: $"{accountId}-R{account.Cases.Count + 1}",
                GroundingDealerId: dealer.Subject,
                DealerState: dealerState,
                ReturnDate: returnDate,
                Termination: terms.IsEarlyTermination(returnDate) ? Termination.Early : Termination.NormalMaturity,
                Odometer: new OdometerRecord(request.OdometerMiles, request.OdometerSignedByLessee, now),
                ReturnedItems: items,
                Disposition: disposition,
                State: purchase ? CaseState.HeldForDealerPurchase : CaseState.InRemarketing,
                NotifiedAt: now)
            {
                HoldUntil = purchase ? now + Options.DealerPurchaseHold : null,
            };
            var updated = account with { State = AccountStatus.InTermination, Cases = [.. account.Cases, returnCase] };
            SideRecord[] records =
            [
                new SideRecord.CaseIndexed(returnCase.CaseId),
                new SideRecord.ReturnKitUnscheduled(),
                purchase
                    ? new SideRecord.HoldScheduled(returnCase.HoldUntil!.Value)
                    : new SideRecord.QueuedForRemarketing(RemarketingHandOff.For(updated, returnCase, "lessee_return", now)),
            ];
            return new Decision<ReturnCase>(updated, ToProto(accountId, returnCase)) { SideRecords = records };
        });
    }

    public async Task<ReturnCase> RecordOdometerAsync(Caller caller, RecordOdometerRequest request)
    {
        var accountId = await store.AccountOfCaseAsync(request.CaseId);
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(RecordOdometerAsync), caller, request.RequestId, request), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(request.CaseId);
            CheckMayActOn(caller, returnCase);
            if (returnCase.State is not (CaseState.InRemarketing or CaseState.HeldForDealerPurchase) || returnCase.Inspection is not null)
                throw DomainException.FailedPrecondition($"the odometer statement of case {returnCase.CaseId} can no longer change: the case is {returnCase.State}");
            CheckOdometer(request.OdometerMiles, account.Terms);
            if (request.OdometerMiles < returnCase.Odometer.Miles && caller.Role != RoleNames.Remarketing)
                throw DomainException.FailedPrecondition(
                    $"an odometer does not go backwards: the statement says {returnCase.Odometer.Miles:N0} mi; only the remarketing center can correct it down to {request.OdometerMiles:N0}");
            var changed = returnCase with { Odometer = new OdometerRecord(request.OdometerMiles, request.SignedByLessee, now) };
            return new Decision<ReturnCase>(account.WithCase(changed), ToProto(accountId, changed));
        });
    }

    public async Task<ReturnCase> GetReturnCaseAsync(Caller caller, string caseId)
    {
        var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
        var returnCase = account.Case(caseId);
        CheckMayActOn(caller, returnCase);
        return ToProto(account.Terms.AccountId, returnCase);
    }

    public async Task<Contracts.Quote.V1.Quote> GetQuoteAsync(Caller caller, GetQuoteRequest request)
    {
        if (request.Kind == QuoteKind.LesseeBuyout && caller.Role == RoleNames.GroundingDealer)
            throw DomainException.PermissionDenied("a lessee buyout quote is between the lender and the lessee: ask for a Dealer Purchase for Lessee quote instead");
        var account = await AccountForAsync(caller, request.AccountId, request.Vin);
        if (account.State == AccountStatus.Closed)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} is closed: there is nothing left to quote");
        // Once the vehicle is back, its figures stand as of the return date unless asked otherwise.
        var asOf = AsOf(account.Terms, request.AsOf, account.LatestCase is { IsOpen: true } open ? open.ReturnDate : null);
        var figures = request.Kind switch
        {
            QuoteKind.DealerPurchaseForLessee or QuoteKind.DealerPurchaseForInventory => LeaseEndQuotes.DealerPurchase(account, asOf),
            QuoteKind.LesseeReturn => LeaseEndQuotes.LesseeReturn(account, asOf, QuotedOdometer(account, request.OdometerMiles)),
            QuoteKind.LesseeBuyout => LeaseEndQuotes.LesseeBuyout(account, asOf, request.ApplySecurityDeposit),
            _ => throw DomainException.InvalidArgument("kind is required: DEALER_PURCHASE_FOR_LESSEE, DEALER_PURCHASE_FOR_INVENTORY, LESSEE_RETURN or LESSEE_BUYOUT"),
        };
        var quote = new Contracts.Quote.V1.Quote
        {
            AccountId = account.Terms.AccountId,
            Kind = request.Kind,
            TerminationType = ToProto(account.Terms.IsEarlyTermination(asOf) ? Termination.Early : Termination.NormalMaturity),
            TotalCents = figures.TotalCents,
            ValidUntil = ToProto(ValidUntil(account, asOf)),
            Estimated = figures.Estimated,
            EarlyTerminationPayoffCents = figures.EarlyTerminationPayoffCents,
            EarlyTerminationChargeCents = figures.EarlyTerminationChargeCents,
            AsOf = ToProto(asOf),
        };
        quote.LineItems.Add(ToProto(figures.Lines));
        // The same figures always get the same id, so a quote can be cited and checked later.
        quote.QuoteId = "Q-" + Convert.ToHexStringLower(SHA256.HashData(quote.ToByteArray()))[..16];
        if (caller.Role == RoleNames.GroundingDealer)
            ReplaceLines(quote.LineItems, ForDealer(quote.LineItems));
        return quote;
    }

    public async Task<EarlyTerminationOptions> CompareEarlyTerminationOptionsAsync(Caller caller, CompareEarlyTerminationOptionsRequest request)
    {
        var account = await AccountForAsync(caller, request.AccountId, request.Vin);
        if (account.State != AccountStatus.Active)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} is {account.State}: its options are no longer open");
        var asOf = AsOf(account.Terms, request.AsOf, defaultDate: null);
        if (!account.Terms.IsEarlyTermination(asOf))
            throw DomainException.FailedPrecondition(
                $"on {asOf:yyyy-MM-dd} the lease is at or past its maturity date ({account.Terms.MaturityDate:yyyy-MM-dd}): that is not an early termination; ask for quotes instead");
        CheckOdometer(request.OdometerMiles, account.Terms);

        var response = new EarlyTerminationOptions { AccountId = account.Terms.AccountId, AsOf = ToProto(asOf) };
        foreach (var (kind, figures) in LeaseEndQuotes.EarlyTerminationOptions(account, asOf, request.OdometerMiles, ExtensionDaysAvailable(account)))
        {
            // The lessee buyout is between the lender and the lessee: a dealer compares the other options.
            if (kind == LeaseEndOption.BuyNow && caller.Role == RoleNames.GroundingDealer)
                continue;
            var option = new EarlyTerminationOption { Kind = ToProto(kind), TotalCents = figures.TotalCents, Estimated = figures.Estimated };
            option.LineItems.Add(caller.Role == RoleNames.GroundingDealer ? ForDealer(ToProto(figures.Lines)) : ToProto(figures.Lines));
            response.Options.Add(option);
        }
        return response;
    }

    public async Task<ReturnCase> CompleteDealerPurchaseAsync(Caller caller, CompleteDealerPurchaseRequest request)
    {
        var accountId = await store.AccountOfCaseAsync(request.CaseId);
        var proof = request.ProofOfResaleId.Trim();
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(CompleteDealerPurchaseAsync), caller, request.RequestId, request), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(request.CaseId);
            CheckMayActOn(caller, returnCase);
            if (returnCase.State != CaseState.HeldForDealerPurchase)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not held for a dealer purchase: it is {returnCase.State}");
            if (now >= returnCase.HoldUntil)
                throw DomainException.FailedPrecondition(
                    $"the {Options.DealerPurchaseHold.TotalHours:0}-hour hold on case {returnCase.CaseId} ended at {returnCase.HoldUntil:yyyy-MM-dd HH:mm:ss}Z: the vehicle goes to remarketing");
            if (returnCase.Disposition == Disposition.DealerPurchaseForLessee && proof.Length == 0)
                throw DomainException.InvalidArgument("a Dealer Purchase for Lessee completes only with proof of resale to the lessee: give proof_of_resale_id");
            var purchased = returnCase with { State = CaseState.Purchased, ProofOfResaleId = proof.Length > 0 ? proof : null };
            var updated = account.WithCase(purchased) with { State = AccountStatus.Closed };
            return new Decision<ReturnCase>(updated, ToProto(accountId, purchased))
            {
                SideRecords = [new SideRecord.HoldUnscheduled()],
            };
        });
    }

    public async Task<LeaseExtension> ExtendLeaseAsync(Caller caller, ExtendLeaseRequest request)
    {
        if (request.Days < 1 || request.Days > Options.MaxDaysPerExtension)
            throw DomainException.InvalidArgument($"an extension is 1-{Options.MaxDaysPerExtension} days; {request.Days} were asked");
        var accountId = RequiredId(request.AccountId, "account_id");
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(ExtendLeaseAsync), caller, request.RequestId, request), stored =>
        {
            var account = Existing(stored, accountId);
            if (account.State != AccountStatus.Active)
                throw DomainException.FailedPrecondition($"only an active lease can be extended: lease account {accountId} is {account.State}");
            if (account.Extensions.Count >= Options.MaxExtensions)
                throw DomainException.FailedPrecondition($"lease account {accountId} already has {account.Extensions.Count} extensions, the most that are approved");
            if (account.ExtensionDays + request.Days > Options.MaxTotalExtensionDays)
                throw DomainException.FailedPrecondition(
                    $"lease account {accountId} has been extended {account.ExtensionDays} days; {request.Days} more would pass the limit of {Options.MaxTotalExtensionDays} " +
                    $"(at most {Options.MaxTotalExtensionDays - account.ExtensionDays} more)");
            var extension = new ExtensionRecord(request.Days, request.Days * account.Terms.ExtensionDailyFeeCents, account.ScheduledEndDate.AddDays(request.Days), now);
            var updated = account with { Extensions = [.. account.Extensions, extension] };
            return new Decision<LeaseExtension>(updated, ToProto(accountId, extension))
            {
                SideRecords = updated.ReturnKitSentAt is null ? [new SideRecord.ReturnKitScheduled(ReturnKitDueAt(updated))] : [],
            };
        });
    }

    public async Task<ReturnCase> RecordInspectionResultAsync(Caller caller, RecordInspectionResultRequest request)
    {
        var reportId = RequiredId(request.ConditionReportId, "condition_report_id");
        if (request.ExcessWear.Count > 200)
            throw DomainException.InvalidArgument($"{request.ExcessWear.Count} excess wear items is more than a condition report holds (200)");
        var wear = request.ExcessWear.Select(item => new WearItem(item.Description.Trim(), item.ChargeCents)).ToList();
        if (wear.FirstOrDefault(item => item.Description.Length == 0) is not null)
            throw DomainException.InvalidArgument("every excess wear item needs a description");
        if (wear.FirstOrDefault(item => item.ChargeCents is < 0 or > LeaseTerms.MaximumAmountCents) is { } badCharge)
            throw DomainException.InvalidArgument($"the charge for '{badCharge.Description}' ({Cents.Format(badCharge.ChargeCents)}) must be $0.00-{Cents.Format(LeaseTerms.MaximumAmountCents)}");
        var accountId = await store.AccountOfCaseAsync(request.CaseId);
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(RecordInspectionResultAsync), caller, request.RequestId, request), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(request.CaseId);
            if (returnCase.Inspection is { } earlier)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} was already inspected (condition report {earlier.ConditionReportId})");
            if (returnCase.State != CaseState.InRemarketing)
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is not in remarketing (it is {returnCase.State}): there is nothing to inspect for");
            CheckOdometer(request.OdometerMiles, account.Terms);
            var inspected = returnCase with
            {
                State = CaseState.Inspected,
                Inspection = new InspectionRecord(reportId, request.OdometerMiles, wear, request.InspectedAt?.ToDateTimeOffset() ?? now),
            };
            var updated = account.WithCase(inspected);
            if (inspected.IsEarlyTermination)
                updated = updated.WithLetter(new LetterRecord($"{inspected.CaseId}-et-pre-sale", LetterType.EarlyTerminationPreSale, now, LeaseEndQuotes.EarlyTerminationPreSale(updated, inspected).Lines));
            return new Decision<ReturnCase>(updated, ToProto(accountId, inspected));
        });
    }

    public async Task<ReturnCase> RecordAuctionResultAsync(Caller caller, RecordAuctionResultRequest request)
    {
        var listingId = RequiredId(request.ListingId, "listing_id");
        if (request.Sold && request.SalePriceCents is <= 0 or > LeaseTerms.MaximumAmountCents)
            throw DomainException.InvalidArgument($"a sold vehicle needs its sale price: {Cents.Format(request.SalePriceCents)} is not one");
        if (!request.Sold && request.SalePriceCents != 0)
            throw DomainException.InvalidArgument("an unsold vehicle has no sale price: leave sale_price_cents 0");
        var accountId = await store.AccountOfCaseAsync(request.CaseId);
        var now = Now;
        return await store.ChangeAsync(accountId, Idempotent(nameof(RecordAuctionResultAsync), caller, request.RequestId, request), stored =>
        {
            var account = Existing(stored, accountId);
            var returnCase = account.Case(request.CaseId);
            if (returnCase.State is not (CaseState.Inspected or CaseState.Unsold))
                throw DomainException.FailedPrecondition($"case {returnCase.CaseId} is {returnCase.State}: an auction result comes after the inspection");
            var result = new AuctionResultRecord(listingId, request.Sold, request.SalePriceCents, request.ClosedAt?.ToDateTimeOffset() ?? now);
            var changed = returnCase with { State = request.Sold ? CaseState.Sold : CaseState.Unsold, AuctionResult = result };
            var updated = account.WithCase(changed);
            var (settlement, final) = LeaseEndQuotes.Settlement(updated, changed);
            if (final)
            {
                changed = changed with { State = CaseState.Settled };
                updated = updated.WithCase(changed).WithLetter(new LetterRecord($"{changed.CaseId}-settlement", LetterType.Settlement, now, settlement.Lines))
                    with
                { State = AccountStatus.Closed };
            }
            return new Decision<ReturnCase>(updated, ToProto(accountId, changed));
        });
    }

    public async Task<Settlement> GetSettlementAsync(string caseId)
    {
        var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
        var returnCase = account.Case(caseId);
        if (returnCase.State == CaseState.Purchased)
            throw DomainException.FailedPrecondition($"case {caseId} ended as a dealer purchase: there is no return to settle");
        if (returnCase.State == CaseState.HeldForDealerPurchase)
            throw DomainException.FailedPrecondition($"case {caseId} is held for a dealer purchase until {returnCase.HoldUntil:yyyy-MM-dd HH:mm:ss}Z: it is settled only if it goes to remarketing");
        var (figures, final) = LeaseEndQuotes.Settlement(account, returnCase);
        var settlement = new Settlement
        {
            CaseId = caseId,
            AccountId = account.Terms.AccountId,
            TerminationType = ToProto(returnCase.Termination),
            BalanceCents = figures.TotalCents,
            Final = final,
            EarlyTerminationPayoffCents = figures.EarlyTerminationPayoffCents,
            EarlyTerminationChargeCents = figures.EarlyTerminationChargeCents,
        };
        settlement.LineItems.Add(ToProto(figures.Lines));
        return settlement;
    }

    public async Task<ListLettersResponse> ListLettersAsync(string accountId)
    {
        var account = await store.GetAsync(RequiredId(accountId, "account_id"));
        var response = new ListLettersResponse();
        response.Letters.Add(account.Letters.OrderBy(letter => letter.Dated).Select(letter => ToProto(account.Terms.AccountId, letter)));
        return response;
    }

    public RetailFinancingEligibility CheckRetailFinancing(CheckRetailFinancingRequest request)
    {
        var inception = ToDateOnly(request.Inception, "inception") ?? Today;
        if (request.ModelYear < 1900 || request.ModelYear > inception.Year + 1)
            throw DomainException.InvalidArgument($"model_year {request.ModelYear} cannot be a vehicle's model year at an inception in {inception.Year}");
        CheckOdometer(request.OdometerMiles);
        var failures = RetailFinancing.Failures(request.ModelYear, request.OdometerMiles, inception, Options.RetailFinancingMaxModelYears, Options.RetailFinancingMaxOdometerMiles);
        return new RetailFinancingEligibility { Eligible = failures.Count == 0, Reasons = { failures } };
    }

    private DateTimeOffset ReturnKitDueAt(LeaseAccountRecord account) => ReturnKit.DueAt(account, Options.ReturnKitDaysBeforeEnd);

    private LeaseAccount View(LeaseAccountRecord account) => ToProto(account, ReturnKitDueAt(account));

    private int ExtensionDaysAvailable(LeaseAccountRecord account) =>
        account.Extensions.Count >= Options.MaxExtensions ? 0 : Math.Min(Options.MaxDaysPerExtension, Options.MaxTotalExtensionDays - account.ExtensionDays);

    /// <summary>
    /// A quote holds for the validity period from today (or from its date, if later); while the
    /// lease runs, no longer than until the next payment falls due, which changes the payoff.
    /// </summary>
    private DateTimeOffset ValidUntil(LeaseAccountRecord account, DateOnly asOf)
    {
        var terms = account.Terms;
        var end = (asOf > Today ? asOf : Today).AddDays(Options.QuoteValidityDays);
        if (account.State == AccountStatus.Active && terms.PaymentDueDate(terms.PaymentsDueBy(asOf)) is { } nextPayment && nextPayment < end)
            end = nextPayment;
        return StartOf(end);
    }

    private DateOnly AsOf(LeaseTerms terms, Contracts.Common.V1.Date? requested, DateOnly? defaultDate)
    {
        var asOf = ToDateOnly(requested, "as_of") ?? defaultDate ?? Today;
        if (asOf < terms.StartDate)
            throw DomainException.InvalidArgument($"as_of {asOf:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
        return asOf;
    }

    /// <summary>The odometer a Lessee Return is quoted with: the request's, else the open return's statement.</summary>
    private static long QuotedOdometer(LeaseAccountRecord account, long requested)
    {
        if (requested == 0 && account.LatestCase is { IsOpen: true } open)
            return open.OdometerMiles;
        if (requested == 0)
            throw DomainException.InvalidArgument("odometer_miles is required to quote a Lessee Return before the return is notified");
        CheckOdometer(requested, account.Terms);
        return requested;
    }

    private static void CheckOdometer(long odometerMiles, LeaseTerms? lease = null)
    {
        if (OdometerReading.Problem(odometerMiles, lease) is { } problem)
            throw DomainException.InvalidArgument(problem);
    }

    private static void ReplaceLines(Google.Protobuf.Collections.RepeatedField<Contracts.Common.V1.LineItem> lines, IReadOnlyList<Contracts.Common.V1.LineItem> replacement)
    {
        lines.Clear();
        lines.Add(replacement);
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
        var id = RequiredId(accountId, "account_id");
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

    private static string RequiredId(string value, string field)
    {
        var trimmed = value.Trim();
        return trimmed.Length is > 0 and <= 128 ? trimmed : throw DomainException.InvalidArgument($"{field} is required (at most 128 characters)");
    }

    private static IdempotentRequest Idempotent(string operation, Caller caller, string requestId, IMessage request) =>
        new(operation.Replace("Async", ""), caller, RequiredId(requestId, "request_id"), request);
}
