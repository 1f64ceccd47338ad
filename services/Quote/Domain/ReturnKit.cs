namespace Remarketing.Quote.Domain;

public static class ReturnKit
{
    /// <summary>
    /// When the return kit goes out: midnight UTC, <paramref name="daysBeforeEnd"/> days before the
    /// scheduled end, but never before the account was opened (a lease opened that late, or already
    /// ended, gets its kit at once).
    /// </summary>
    public static DateTimeOffset DueAt(LeaseAccountRecord account, int daysBeforeEnd)
    {
        var due = new DateTimeOffset(account.ScheduledEndDate.AddDays(-daysBeforeEnd).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return due > account.CreatedAt ? due : account.CreatedAt;
    }

    /// <summary>The account with its return kit sent at <paramref name="now"/>, dated then.</summary>
    public static LeaseAccountRecord Sent(LeaseAccountRecord account, DateTimeOffset now)
    {
        var kit = new LetterRecord($"{account.Terms.AccountId}-return-kit", LetterType.ReturnKit, now, LeaseEndQuotes.ReturnKit(account).Lines);
        return account.WithLetter(kit) with { ReturnKitSentAt = now };
    }
}
