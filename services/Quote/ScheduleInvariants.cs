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
        foreach (var (accountId, account) in await ScheduledAsync(QuoteStore.ReturnKitsDue))
        {
            if (account is null)
                breaches.Add(new($"account {accountId}", "due a return kit but it does not exist"));
            else if (account.ReturnKitSentAt is { } sent)
                breaches.Add(new($"account {accountId}", $"due a return kit but one was sent on {sent:yyyy-MM-dd}: it would be sent twice"));
        }

        foreach (var (accountId, account) in await ScheduledAsync(QuoteStore.HoldsEnding))
        {
            if (account is null)
                breaches.Add(new($"account {accountId}", "has a dealer-purchase hold scheduled to end but it does not exist"));
            else if (account.LatestCase is not { State: CaseState.HeldForDealerPurchase })
                breaches.Add(new($"account {accountId}", account.LatestCase is { } latest
                    ? $"has a dealer-purchase hold scheduled to end but its latest case is {latest.State}"
                    : "has a dealer-purchase hold scheduled to end but no return case"));
        }
        return breaches;
    }

    private async Task<IReadOnlyList<(string AccountId, LeaseAccountRecord? Account)>> ScheduledAsync(RedisKey schedule)
    {
        var ids = await redis.GetDatabase().SortedSetRangeByRankAsync(schedule, 0, PerSchedule - 1);
        return await Task.WhenAll(ids.Select(async id => ((string)id!, await store.FindAsync((string)id!))));
    }
}
