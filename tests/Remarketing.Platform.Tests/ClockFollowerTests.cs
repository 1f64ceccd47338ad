using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Platform.Tests;

/// <summary>Processes' clocks on one real Redis, in process: who writes the shared clock, who takes it, and how a change travels.</summary>
public sealed class ClockFollowerTests(RedisConnectionFixture redis) : IClassFixture<RedisConnectionFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset SimulatedStart = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly List<ClockFollower> _followers = [];

    public Task InitializeAsync() => redis.Connection.GetDatabase().KeyDeleteAsync(ClockStore.Key);

    public async Task DisposeAsync()
    {
        foreach (var follower in _followers)
        {
            await follower.StopAsync(CancellationToken.None);
            follower.Dispose();
        }
    }

    [Fact]
    public async Task TheFirstProcess_WritesItsClock_AndOneStartedLater_TakesIt()
    {
        var first = Clock(speed: 100);
        var firstHealth = await HealthAsync(await FollowAsync(first, startNow: false));
        await _followers[0].StartAsync(CancellationToken.None);
        var later = Clock(speed: 5, start: SimulatedStart.AddYears(1));
        await FollowAsync(later);

        Assert.Equal(HealthStatus.Unhealthy, firstHealth);
        Assert.Equal(first.Definition, later.Definition);
        Assert.Equal((1L, 100d, SimulatedStart), (later.Definition.Version, later.Definition.Speed, later.Definition.Start));
        Assert.Equal(HealthStatus.Healthy, await HealthAsync(_followers[1]));
    }

    [Fact]
    public async Task AChange_ReachesTheOtherProcesses_ByItsPublish()
    {
        var changing = Clock(speed: 100);
        var other = Clock(speed: 100);
        // Never reads again by itself: only the PUBLISH can bring it the change.
        await FollowAsync(changing, lookAgain: Timeout.InfiniteTimeSpan);
        await FollowAsync(other, lookAgain: Timeout.InfiniteTimeSpan);
        var heard = new TaskCompletionSource<ClockDefinition>(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Changed += (_, definition) => heard.TrySetResult(definition);

        var changed = await Control(changing).SetAsync(new Caller("RC-1", RoleNames.Remarketing), "r-1", new ClockChange(0, TimeSpan.FromDays(2)));

        Assert.Equal(changed, await heard.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(changed.Start, other.GetUtcNow());
        Assert.Equal(changed, changing.Definition);
    }

    [Fact]
    public async Task AClockDeletedWhileRunning_IsWrittenBackAsTheProcessesFollowIt()
    {
        var clock = Clock(speed: 100);
        await FollowAsync(clock, lookAgain: TimeSpan.FromMilliseconds(50));
        var followed = clock.Definition;

        await redis.Connection.GetDatabase().KeyDeleteAsync(ClockStore.Key);
        var written = await EventuallyStoredAsync();

        Assert.Equal(followed with { Version = followed.Version + 1 }, written);
    }

    private static SharedClock Clock(double speed, DateTimeOffset? start = null) =>
        new(new ClockOptions { Epoch = DateTimeOffset.UtcNow, Start = start ?? SimulatedStart, Speed = speed }, TimeProvider.System);

    private async Task<ClockFollower> FollowAsync(SharedClock clock, TimeSpan? lookAgain = null, bool startNow = true)
    {
        var follower = new ClockFollower(clock, redis.Connection, NullLogger<ClockFollower>.Instance, lookAgain);
        _followers.Add(follower);
        if (startNow)
            await follower.StartAsync(CancellationToken.None);
        return follower;
    }

    private ClockControl Control(SharedClock clock) =>
        new(clock, new ClockStore(redis.Connection), TimeProvider.System, Options.Create(new ClockOptions { Control = true }));

    private static async Task<HealthStatus> HealthAsync(ClockFollower follower) =>
        (await follower.CheckHealthAsync(new HealthCheckContext())).Status;

    private Task<ClockDefinition> EventuallyStoredAsync()
    {
        var store = new ClockStore(redis.Connection);
        return Waiting.EventuallyAsync("the clock written back", store.ReadAsync, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
    }
}
