using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Invariants;
using StackExchange.Redis;

namespace Remarketing.Quote;

/// <summary>
/// The clock jobs' schedules agree with the accounts: an account due a return kit exists and has
/// not been sent one; an account whose dealer-purchase hold is scheduled to end exists and its
/// latest case is held (each is written with its schedule entry in one transaction).
/// </summary>
public sealed class ScheduleInvariants(IConnectionMultiplexer redis, QuoteStore store) : IInvariantCheck
{
    /// <summary>Entries looked at per schedule on each run: the earliest due.</summary>
    public const int PerSchedule = 1000;

    public string Name => "quote schedules";

    public async Task<IReadOnlyList<Breach>> FindAsync(CancellationToken cancellationToken)
    {
        var breaches = new List<Breach>();
        breaches.AddRange(await IndexedRecords.CheckAsync(await ScheduledAsync(QuoteStore.ReturnKitsDue), store.FindAsync, "account", "the return-kit schedule",
            account => account.ReturnKitSentAt is { } sent ? $"due a return kit but one was sent on {sent:yyyy-MM-dd}: it would be sent twice" : null));
        breaches.AddRange(await IndexedRecords.CheckAsync(await ScheduledAsync(QuoteStore.HoldsEnding), store.FindAsync, "account", "the dealer-purchase hold schedule",
            account => account.LatestCase switch
            {
                { State: CaseState.HeldForDealerPurchase } => null,
                { } latest => $"has a dealer-purchase hold scheduled to end but its latest case is {latest.State}",
                null => "has a dealer-purchase hold scheduled to end but no return case",
            }));
        return breaches;
    }

    private async Task<IEnumerable<string>> ScheduledAsync(RedisKey schedule) =>
        (await redis.GetDatabase().SortedSetRangeByRankAsync(schedule, 0, PerSchedule - 1)).Select(id => (string)id!);
}
