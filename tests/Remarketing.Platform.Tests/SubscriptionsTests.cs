using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>A service stopping ends its subscriptions, whatever became of its connection first.</summary>
public sealed class SubscriptionsTests(RedisConnectionFixture redis) : IClassFixture<RedisConnectionFixture>
{
    [Fact]
    public async Task EndingASubscription_WhoseConnectionWasAlreadyDisposed_HasNothingToEnd()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var subscription = await connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"test:{Guid.NewGuid():N}"));
        await connection.DisposeAsync();

        var ending = await Record.ExceptionAsync(subscription.EndAsync);

        Assert.Null(ending);
    }

    [Fact]
    public async Task EndingALiveSubscription_Unsubscribes()
    {
        var channel = RedisChannel.Literal($"test:{Guid.NewGuid():N}");
        var subscription = await redis.Connection.GetSubscriber().SubscribeAsync(channel);

        await subscription.EndAsync();

        Assert.Equal(0, await redis.Connection.GetSubscriber().PublishAsync(channel, "anyone?"));
    }
}
