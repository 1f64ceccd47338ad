using Microsoft.Extensions.Options;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Storage;

namespace Remarketing.Quote;

/// <summary>
/// The Quote service's changes, on plain values: each loads the account, lets the domain decide
/// on the shared clock's time (<see cref="Accounts"/>, <see cref="Returns"/>,
/// <see cref="DealerPurchases"/>, <see cref="Extending"/>, <see cref="RemarketingResults"/>,
/// <see cref="LeaseEndings"/>), and stores the decision through <see cref="QuoteStore"/>, once
/// per request id. Every refusal throws before anything is written. <see cref="QuoteDesk"/> makes
/// the figures; <see cref="QuoteGrpcService"/> turns requests into these values.
/// </summary>
public sealed class LeaseEndDesk(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options)
{
    private QuoteOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public async Task<AccountAnswer> CreateAccountAsync(Caller caller, NewAccount ask)
    {
        Accounts.Check(ask, Today);
        var now = Now;
        return await store.ChangeAsync(ask.Terms.AccountId, IdempotentRequest.Of(nameof(CreateAccountAsync), caller, ask.RequestId, ask),
            existing => Accounts.Open(existing, ask, now, Options));
    }

    public async Task<AccountAnswer> GetAccountAsync(Caller caller, string accountId, string vin)
    {
        var account = await QuoteAccess.ReachAsync(store, caller, accountId, vin);
        return AccountAnswer.For(QuoteAccess.AccountSeenBy(caller, account), Options, forDealer: QuoteAccess.IsDealer(caller));
    }

    public async Task<CaseAnswer> NotifyReturnAsync(Caller dealer, ReturnNotice notice)
    {
        Returns.Check(notice, Today);
        var accountId = Ids.Required(notice.AccountId, "account_id");
        var vin = QuoteAccess.RequiredVin(notice.Vin);
        var franchise = await store.FindDealerAsync(dealer.Subject);
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(NotifyReturnAsync), dealer, notice.RequestId, notice),
            stored => stored.NotifyReturn(dealer, notice, vin, franchise, now, Options));
    }

    public Task<CaseAnswer> RecordOdometerAsync(Caller caller, OdometerUpdate statement) =>
        ChangeCaseAsync(statement.CaseId, IdempotentRequest.Of(nameof(RecordOdometerAsync), caller, statement.RequestId, statement),
            (account, now) => account.RecordOdometer(caller, statement, now));

    public async Task<CaseAnswer> GetReturnCaseAsync(Caller caller, string caseId)
    {
        var account = await store.GetAsync(await store.AccountOfCaseAsync(caseId));
        return new CaseAnswer(account.Terms.AccountId, QuoteAccess.CaseFor(caller, account, caseId));
    }

    public Task<CaseAnswer> CompleteDealerPurchaseAsync(Caller caller, PurchaseCompletion completion) =>
        ChangeCaseAsync(completion.CaseId, IdempotentRequest.Of(nameof(CompleteDealerPurchaseAsync), caller, completion.RequestId, completion),
            (account, now) => account.CompleteDealerPurchase(caller, completion, now, Options.DealerPurchaseHold));

    public async Task<ExtensionAnswer> ExtendLeaseAsync(Caller caller, ExtensionAsk ask)
    {
        Extending.Check(ask, Options);
        var accountId = Ids.Required(ask.AccountId, "account_id");
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(ExtendLeaseAsync), caller, ask.RequestId, ask),
            stored => Existing(stored, accountId).Extend(ask, now, Options));
    }

    public Task<CaseAnswer> RecordInspectionResultAsync(Caller caller, InspectionReport report)
    {
        RemarketingResults.Check(report);
        return ChangeCaseAsync(report.CaseId, IdempotentRequest.Of(nameof(RecordInspectionResultAsync), caller, report.RequestId, report),
            (account, now) => account.RecordInspectionResult(report, now, Options));
    }

    public Task<CaseAnswer> RecordAuctionResultAsync(Caller caller, AuctionReport report)
    {
        RemarketingResults.Check(report);
        return ChangeCaseAsync(report.CaseId, IdempotentRequest.Of(nameof(RecordAuctionResultAsync), caller, report.RequestId, report),
            (account, now) => account.RecordAuctionResult(caller, report, now, Options));
    }

    /// <summary>The Auction service asks before a listing for the case opens: Quote decides the vehicle's one disposal.</summary>
    public Task<CaseAnswer> OpenListingAsync(Caller caller, ListingOpening opening) =>
        ChangeCaseAsync(opening.CaseId, IdempotentRequest.Of(nameof(OpenListingAsync), caller, opening.RequestId, opening),
            (account, now) => account.OpenListing(opening, now));

    public async Task<AccountAnswer> CompleteLesseeBuyoutAsync(Caller caller, BuyoutCompletion completion)
    {
        var accountId = Ids.Required(completion.AccountId, "account_id");
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(CompleteLesseeBuyoutAsync), caller, completion.RequestId, completion),
            stored => Existing(stored, accountId).CompleteBuyout(completion, now, Options));
    }

    public async Task<AccountAnswer> RecordTotalLossAsync(Caller caller, TotalLossReport report)
    {
        var accountId = Ids.Required(report.AccountId, "account_id");
        LeaseEndings.Check(report);
        var now = Now;
        return await store.ChangeAsync(accountId, IdempotentRequest.Of(nameof(RecordTotalLossAsync), caller, report.RequestId, report),
            stored => Existing(stored, accountId).RecordTotalLoss(report, now, Options));
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

    /// <summary>A change to one case: its account found from the case id (NotFound without it), decided by <paramref name="decide"/> at the clock's now.</summary>
    private async Task<CaseAnswer> ChangeCaseAsync(string caseId, IdempotentRequest request, Func<LeaseAccountRecord, DateTimeOffset, Decision<CaseAnswer>> decide)
    {
        var accountId = await store.AccountOfCaseAsync(caseId);
        var now = Now;
        return await store.ChangeAsync(accountId, request, stored => decide(Existing(stored, accountId), now));
    }

    private static LeaseAccountRecord Existing(LeaseAccountRecord? account, string accountId) =>
        account ?? throw DomainException.NotFound($"no lease account {accountId}");
}
