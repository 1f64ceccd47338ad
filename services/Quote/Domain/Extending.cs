using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Quote.Domain;

/// <summary>Extending a lease for a daily fee, within the limits, from the scheduled end to a day after today.</summary>
public static class Extending
{
    /// <summary>Days of one more extension the account may still be granted (0 when none).</summary>
    public static int ExtensionDaysAvailable(this LeaseAccountRecord account, QuoteOptions options) =>
        account.Extensions.Count >= options.MaxExtensions ? 0 : Math.Min(options.MaxDaysPerExtension, options.MaxTotalExtensionDays - account.ExtensionDays);

    public static void Check(ExtensionAsk ask, QuoteOptions options)
    {
        if (ask.Days < 1 || ask.Days > options.MaxDaysPerExtension)
            throw DomainException.InvalidArgument($"an extension is 1-{options.MaxDaysPerExtension} days; {ask.Days} were asked");
    }

    public static Decision<ExtensionAnswer> Extend(this LeaseAccountRecord account, ExtensionAsk ask, DateTimeOffset now, QuoteOptions options)
    {
        var accountId = account.Terms.AccountId;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (account.State != AccountStatus.Active)
            throw DomainException.FailedPrecondition($"only an active lease can be extended: lease account {accountId} is {account.State}");
        var windowOpens = account.ScheduledEndDate.AddDays(-options.ExtensionWindowDays);
        if (today < windowOpens)
        {
            throw DomainException.FailedPrecondition(
                $"lease account {accountId} is scheduled to end {account.ScheduledEndDate:yyyy-MM-dd}: an extension is granted only within " +
                $"{options.ExtensionWindowDays} days of the scheduled end; ask on or after {windowOpens:yyyy-MM-dd}");
        }
        if (account.Extensions.Count >= options.MaxExtensions)
            throw DomainException.FailedPrecondition($"lease account {accountId} already has {account.Extensions.Count} extensions, the most that are approved");
        if (account.ExtensionDays + ask.Days > options.MaxTotalExtensionDays)
        {
            throw DomainException.FailedPrecondition(
                $"lease account {accountId} has been extended {account.ExtensionDays} days; {ask.Days} more would pass the limit of {options.MaxTotalExtensionDays} " +
                $"(at most {options.MaxTotalExtensionDays - account.ExtensionDays} more)");
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
            SideRecords = updated.ReturnKitSentAt is null ? [new SideRecord.ReturnKitScheduled(ReturnKit.DueAt(updated, options.ReturnKitDaysBeforeEnd))] : [],
        };
    }
}
