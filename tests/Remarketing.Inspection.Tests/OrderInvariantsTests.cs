using Microsoft.Extensions.Time.Testing;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.HandOffs;

namespace Remarketing.Inspection.Tests;

/// <summary>Every inspection order an index names exists and is in the state that index stands for.</summary>
[Collection(RedisCollection.Name)]
public sealed class OrderInvariantsTests(RedisConnectionFixture redis) : IDisposable
{
    private static readonly Caller Quote = new("quote", RoleNames.Service);
    private static readonly Caller Acme = new("INSP-ACME", RoleNames.Inspector);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero));
    private readonly Outbox _outbox = new("inspection");

    private InspectionStore Store => new(redis.Connection, _outbox);

    private InspectionDesk Desk => new(Store, _clock, Microsoft.Extensions.Options.Options.Create(new InspectionOptions { Companies = ["INSP-ACME"] }));

    private OrderInvariants Invariants => new(redis.Connection, Store);

    public void Dispose() => _outbox.Dispose();

    [Fact]
    public async Task OrdersAsTheDeskLeavesThem_Open_Accepted_Reported_KeepEveryInvariant()
    {
        var open = await ScheduleAsync();
        var accepted = await ScheduleAsync();
        await Desk.AcceptAsync(Acme, Guid.NewGuid().ToString("N"), accepted.OrderId);

        var breaches = await Invariants.FindAsync(CancellationToken.None);

        Assert.DoesNotContain(breaches, breach => breach.Subject == $"order {open.OrderId}" || breach.Subject == $"order {accepted.OrderId}");
    }

    [Fact]
    public async Task AnOrderInAnotherStatesIndex_OrGoneFromUnderIts_IsReported()
    {
        var order = await ScheduleAsync();
        var database = redis.Connection.GetDatabase();
        await database.SortedSetAddAsync(InspectionStore.InState(OrderState.Reported), order.OrderId, 1);
        await database.SortedSetAddAsync(InspectionStore.Unfinished, "O-GONE", 1);

        var breaches = (await Invariants.FindAsync(CancellationToken.None)).Select(breach => breach.ToString()).ToList();

        Assert.Contains($"order {order.OrderId}: Open but in the Reported index", breaches);
        Assert.Contains("order O-GONE: in the unfinished index but it does not exist", breaches);
        await database.SortedSetRemoveAsync(InspectionStore.InState(OrderState.Reported), order.OrderId);
        await database.SortedSetRemoveAsync(InspectionStore.Unfinished, "O-GONE");
    }

    private Task<InspectionOrderRecord> ScheduleAsync() => Desk.ScheduleAsync(Quote, new OrderSchedule(
        Guid.NewGuid().ToString("N"), "C-" + Guid.NewGuid().ToString("N")[..12], "A-1", new InspectedVehicle(TestVins.Next(), 2025, "Honda", "Accord", "EX"),
        "D-100", "OH", 30_000, false, 18_000_00, "lessee_return"));
}
