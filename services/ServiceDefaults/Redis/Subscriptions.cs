using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

public static class Subscriptions
{
    /// <summary>
    /// Ends a subscription when a service stops; with Redis already gone, or the connection already
    /// disposed, there is nothing to end (the subscription went with it). The connection can go
    /// first: a host stopped from two sides at once (its own run loop and whoever stops it) disposes
    /// its services as soon as one of the two is done.
    /// </summary>
    public static async Task EndAsync(this ChannelMessageQueue? subscription)
    {
        if (subscription is null)
            return;
        try
        {
            await subscription.UnsubscribeAsync();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Stopping while Redis is away, or after the connection was closed.
        }
    }
}
