using Remarketing.Quote.Domain;

namespace Remarketing.Quote.Tests;

/// <summary>The lease-end rules on the records themselves: no Redis, no desk, no clock but the instant given.</summary>
public sealed class LeaseRulesTests
{
    private static readonly QuoteOptions Options = new();

    private static readonly Caller Dealer = new("D-1", RoleNames.GroundingDealer);

    private static LeaseAccountRecord Account(LeaseTerms terms) => new(terms, AccountStatus.Active, TestLeaseEnd.Start);

    private static ReturnNotice Notice(LeaseTerms terms, Disposition disposition) => new(
        "r-1", terms.AccountId, terms.Vin, DateOnly.FromDateTime(TestLeaseEnd.Start.UtcDateTime), 20_000, true,
        new ReturnedItemsRecord(2, 1, true, true, true, []), "OH", disposition);

    private static readonly DealerRecord HondaDealer = new("D-1", ["Honda"], TestLeaseEnd.Start);

    [Fact]
    public void ALesseeReturn_OpensACase_HandsItToRemarketing_AndSendsTheLesseeItsOdometerStatement()
    {
        var terms = TestLeaseEnd.Terms();

        var decision = Account(terms).NotifyReturn(Dealer, Notice(terms, Disposition.LesseeReturn), terms.Vin, HondaDealer, TestLeaseEnd.Start, Options);

        var returned = Assert.Single(decision.Account.Cases);
        Assert.Equal((CaseState.InRemarketing, AccountStatus.InTermination), (returned.State, decision.Account.State));
        Assert.Contains(decision.SideRecords, record => record is SideRecord.QueuedForRemarketing);
        Assert.Equal(LetterType.OdometerStatement, Assert.Single(decision.Account.Letters).Kind);
    }

    [Fact]
    public void ADealerPurchase_IsHeld72Hours_AndCompletedWithinTheHold_SettlesTheCase()
    {
        var terms = TestLeaseEnd.Terms();
        var held = Account(terms).NotifyReturn(Dealer, Notice(terms, Disposition.DealerPurchaseForInventory), terms.Vin, HondaDealer, TestLeaseEnd.Start, Options);
        var caseId = held.Response.Case.CaseId;

        var late = Assert.Throws<DomainException>(() =>
            held.Account.CompleteDealerPurchase(Dealer, new PurchaseCompletion("r-2", caseId, "", false), TestLeaseEnd.Start.AddHours(72), Options.DealerPurchaseHold));
        var completed = held.Account.CompleteDealerPurchase(Dealer, new PurchaseCompletion("r-2", caseId, "", false), TestLeaseEnd.Start.AddHours(71), Options.DealerPurchaseHold);

        Assert.Equal(TestLeaseEnd.Start.AddHours(72), held.Response.Case.HoldUntil);
        Assert.Equal(DomainErrorKind.FailedPrecondition, late.Kind);
        Assert.Equal((CaseState.Purchased, AccountStatus.Closed), (completed.Response.Case.State, completed.Account.State));
        Assert.Contains(completed.Account.Letters, letter => letter.Kind == LetterType.Settlement);
    }

    [Fact]
    public void AnExtension_PastTheLimits_IsRefused_WithinThem_MovesTheScheduledEnd()
    {
        var account = Account(TestLeaseEnd.EndingSoon());

        var extended = account.Extend(new ExtensionAsk("r-1", account.Terms.AccountId, 30), TestLeaseEnd.Start, Options);
        var tooMuch = Assert.Throws<DomainException>(() => Extending.Check(new ExtensionAsk("r-2", account.Terms.AccountId, 31), Options));

        Assert.Equal(account.ScheduledEndDate.AddDays(30), extended.Account.ScheduledEndDate);
        Assert.Equal(30 * account.Terms.ExtensionDailyFeeCents, extended.Response.Extension.FeeCents);
        Assert.Equal(DomainErrorKind.InvalidArgument, tooMuch.Kind);
    }
}
