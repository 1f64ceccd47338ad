namespace Remarketing.Quote.Domain;

public static class ReturnKit
{
    /// <summary>When the return kit goes out: midnight UTC, <paramref name="daysBeforeEnd"/> days before the scheduled end.</summary>
    public static DateTimeOffset DueAt(LeaseAccountRecord account, int daysBeforeEnd) =>
        new(account.ScheduledEndDate.AddDays(-daysBeforeEnd).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
