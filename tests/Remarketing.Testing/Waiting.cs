namespace Remarketing.Testing;

/// <summary>
/// The one way tests wait for something that happens in the background (a hand-off delivered, a
/// process started, a clock read again): ask until it is so, and give up with what was awaited.
/// </summary>
public static class Waiting
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Asks <paramref name="probe"/> every <paramref name="interval"/> until it answers (not null);
    /// that answer. TimeoutException after <paramref name="timeout"/>, naming <paramref name="what"/>
    /// and, if given, what <paramref name="lastSeen"/> says was last seen. An exception from the
    /// probe ends the wait: a probe that may fail for a while catches that itself.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? timeout = null, TimeSpan? interval = null, Func<string>? lastSeen = null)
        where T : class
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await probe() is { } found)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited {limit} for {what}" + (lastSeen is null ? "" : $"; last seen: {lastSeen()}"));
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>As <see cref="EventuallyAsync{T}"/>, until <paramref name="condition"/> holds.</summary>
    public static Task EventuallyAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null, TimeSpan? interval = null, Func<string>? lastSeen = null) =>
        EventuallyAsync(what, async () => await condition() ? what : null, timeout, interval, lastSeen);
}
