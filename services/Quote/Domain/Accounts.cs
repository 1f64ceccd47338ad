using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Quote.Domain;

/// <summary>A lease account opened with its terms, and its return kit scheduled, or sent at once when the end is that near.</summary>
public static class Accounts
{
    public static void Check(NewAccount ask, DateOnly today)
    {
        if (ask.Terms.Problem(today) is { } problem)
            throw DomainException.InvalidArgument(problem);
    }

    public static Decision<AccountAnswer> Open(LeaseAccountRecord? existing, NewAccount ask, DateTimeOffset now, QuoteOptions options)
    {
        var terms = ask.Terms;
        if (existing is not null)
            throw DomainException.AlreadyExists($"lease account {terms.AccountId} already exists");
        var account = new LeaseAccountRecord(terms, AccountStatus.Active, now);
        var kitDueAt = ReturnKit.DueAt(account, options.ReturnKitDaysBeforeEnd);
        if (kitDueAt <= now)
        {
            // Opened within the kit's days before the end, or after the end: the kit goes out now, dated now.
            account = ReturnKit.Sent(account, now, options);
            return new Decision<AccountAnswer>(account, AccountAnswer.For(account, options)) { SideRecords = [new SideRecord.VinIndexed(terms.Vin)] };
        }
        return new Decision<AccountAnswer>(account, AccountAnswer.For(account, options))
        {
            SideRecords = [new SideRecord.ReturnKitScheduled(kitDueAt), new SideRecord.VinIndexed(terms.Vin)],
        };
    }
}
