using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Options;

namespace Remarketing.Gateway;

/// <summary>
/// Ends an HTTP/2 connection whose client keeps opening calls and abandoning them (rapid reset,
/// CVE-2023-44487). Kestrel refuses new streams only while too many reset ones are still being
/// processed, and the gateway finishes or refuses most calls at once, so it never refused any. Here
/// every call its client abandoned before the answer counts, per connection; past
/// Gateway:MaxResetsPerConnection within Gateway:ResetWindow the connection gets a GOAWAY: calls in
/// flight finish, and the client must open a new connection.
/// </summary>
public sealed partial class ResetGuard(RequestDelegate next, IOptions<GatewayOptions> options, ILogger<ResetGuard> logger)
{
    private static readonly object ResetsKey = new();

    /// <summary>Real time: the registered TimeProvider is the shared clock, which a simulation runs fast.</summary>
    private static readonly TimeProvider Time = TimeProvider.System;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.RequestAborted.IsCancellationRequested && HttpProtocol.IsHttp2(context.Request.Protocol))
                Count(context);
        }
    }

    private void Count(HttpContext context)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items is not { } items)
            return;
        Resets resets;
        lock (items)
            resets = (Resets)(items.TryGetValue(ResetsKey, out var found) ? found! : items[ResetsKey] = new Resets());
        var settings = options.Value;
        if (!resets.Add(Time.GetTimestamp(), settings.ResetWindow, settings.MaxResetsPerConnection))
            return;
        TooManyResets(logger, context.Connection.Id, context.Connection.RemoteIpAddress?.ToString() ?? "?", settings.MaxResetsPerConnection, settings.ResetWindow.TotalSeconds);
        context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} from {Remote} abandoned more than {Most} calls in {Seconds} s: it is told to go away (GOAWAY)")]
    private static partial void TooManyResets(ILogger logger, string connectionId, string remote, int most, double seconds);

    /// <summary>The recent abandoned calls of one connection (timestamps of <see cref="TimeProvider"/>).</summary>
    private sealed class Resets
    {
        private readonly Queue<long> _at = new();
        private bool _closed;

        /// <summary>Counts one; true once, when the count within the window first passes the most.</summary>
        public bool Add(long now, TimeSpan window, int most)
        {
            lock (_at)
            {
                _at.Enqueue(now);
                while (_at.Count > 0 && Time.GetElapsedTime(_at.Peek(), now) > window)
                    _at.Dequeue();
                if (_closed || _at.Count <= most)
                    return false;
                _closed = true;
                return true;
            }
        }
    }
}
