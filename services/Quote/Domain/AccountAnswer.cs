namespace Remarketing.Quote.Domain;

/// <summary>A lease account; <paramref name="ForDealer"/> when a grounding dealer asked, who sees less.</summary>
public sealed record AccountAnswer(LeaseAccountRecord Account, DateTimeOffset ReturnKitDueAt, bool ForDealer)
{
    public static AccountAnswer For(LeaseAccountRecord account, QuoteOptions options, bool forDealer = false) =>
        new(account, ReturnKit.DueAt(account, options.ReturnKitDaysBeforeEnd), forDealer);
}
