namespace Remarketing.Quote.Tests;

/// <summary>The clock jobs' schedules agree with the accounts they name.</summary>
[Collection(RedisCollection.Name)]
public sealed class ScheduleInvariantsTests(RedisConnectionFixture redis)
{
    private readonly TestLeaseEnd _lease = new(redis.Connection);

    private ScheduleInvariants Invariants => new(redis.Connection, _lease.Store);

    [Fact]
    public async Task AccountsAsTheDeskLeavesThem_KitScheduled_KitSent_Held_KeepEveryInvariant()
    {
        var scheduled = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 3, 25)));
        var sent = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10)));
        await _lease.Jobs.SendDueReturnKitsAsync();
        var held = await _lease.OpenNewAsync(TestLeaseEnd.MaturingToday());
        await _lease.NotifyAsync(held, _lease.Today, held.StartingOdometerMiles + 30_000, ReturnDisposition.DealerPurchaseForInventory);

        var breaches = await Invariants.FindAsync(CancellationToken.None);

        Assert.DoesNotContain(breaches, breach => new[] { scheduled.AccountId, sent.AccountId, held.AccountId }.Any(id => breach.Subject == $"account {id}"));
    }

    [Fact]
    public async Task AKitScheduledAfterItWasSent_OrAHoldWithoutAHeldCase_IsReported()
    {
        var sent = await _lease.OpenNewAsync(TestLeaseEnd.Terms(start: new DateOnly(2024, 1, 10)));
        await _lease.Jobs.SendDueReturnKitsAsync();
        var database = redis.Connection.GetDatabase();
        await database.SortedSetAddAsync(QuoteStore.ReturnKitsDue, sent.AccountId, 1);
        await database.SortedSetAddAsync(QuoteStore.HoldsEnding, sent.AccountId, 1);

        var breaches = (await Invariants.FindAsync(CancellationToken.None)).Select(breach => breach.ToString()).ToList();
        await database.SortedSetRemoveAsync(QuoteStore.ReturnKitsDue, sent.AccountId);
        await database.SortedSetRemoveAsync(QuoteStore.HoldsEnding, sent.AccountId);

        Assert.Contains($"account {sent.AccountId}: due a return kit but one was sent on 2026-11-24: it would be sent twice", breaches);
        Assert.Contains($"account {sent.AccountId}: has a dealer-purchase hold scheduled to end but no return case", breaches);
    }
}
