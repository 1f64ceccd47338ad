using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

public static class Subscriptions
{
    /// <summary>Ends a subscription when a service stops; with Redis already gone there is nothing to end (the subscription went with the connection).</summary>
    public static async Task EndAsync(this ChannelMessageQueue? subscription)
    {
        if (subscription is null)
            return;
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Stopping while Redis is away.
        }
    }
}
