using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

/// <summary>
/// What a write waits for before the caller is told it is done. Always: its primary's append-only
/// file, fsynced before Redis answers (deploy/redis/redis.conf). With
/// <see cref="RedisOptions.ReplicasToAcknowledge"/> above 0 (a Redis with replicas, Redis Cluster):
/// that many replicas' copies too (WAIT), so a replica promoted when its primary dies holds every
/// acknowledged write. A write no replica confirms in time is still on the primary, but the caller
/// is told Unavailable, and its retry with the same request id is answered once it is copied.
/// </summary>
/// <remarks>
/// WAIT covers every write the connection sent before it, and StackExchange.Redis sends all of a
/// process's commands to one primary over one connection, which WAIT blocks until the replicas
/// answer. So writes share WAITs: a write that finds no WAIT in flight to its primary sends one;
/// one that finds a WAIT in flight (sent, perhaps, before the write) joins the next, which goes out
/// as soon as that one is answered and covers every write that joined it (group commit).
/// </remarks>
public sealed class WriteAcknowledgement(IConnectionMultiplexer redis, IOptions<RedisOptions> options)
{
    private readonly ConcurrentDictionary<EndPoint, Primary> _primaries = new();

    /// <summary>WAIT commands sent so far: fewer than the writes acknowledged when writes share them.</summary>
    public long WaitsSent => Interlocked.Read(ref _waitsSent);

    private long _waitsSent;

    /// <summary>Waits until the writes this process made to <paramref name="key"/>'s primary (this one's among them) are on the replicas asked for.</summary>
    public Task CopiedAsync(RedisKey key)
    {
        if (options.Value.ReplicasToAcknowledge == 0)
            return Task.CompletedTask;
        var server = redis.GetServer(key);
        return _primaries.GetOrAdd(server.EndPoint, _ => new Primary(this)).JoinAsync(server);
    }

    private async Task WaitAsync(IServer server)
    {
        var settings = options.Value;
        Interlocked.Increment(ref _waitsSent);
        var copies = (long)await server.ExecuteAsync("WAIT", settings.ReplicasToAcknowledge, (long)settings.ReplicaTimeout.TotalMilliseconds);
        if (copies < settings.ReplicasToAcknowledge)
            throw new ReplicasBehindException($"the write is on the primary but {copies} of {settings.ReplicasToAcknowledge} replicas confirmed it within {settings.ReplicaTimeout.TotalMilliseconds} ms");
    }

    /// <summary>One primary's WAIT in flight, and the writes gathering for the next.</summary>
    private sealed class Primary(WriteAcknowledgement owner)
    {
        private readonly Lock _lock = new();
        private bool _inFlight;
        private TaskCompletionSource? _next;

        public Task JoinAsync(IServer server)
        {
            lock (_lock)
            {
                if (_inFlight)
                {
                    _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return _next.Task;
                }
                _inFlight = true;
            }
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = RunAsync(server, first);
            return first.Task;
        }

        /// <summary>Sends WAITs until no write is left waiting for one, each answering the writes that joined it.</summary>
        private async Task RunAsync(IServer server, TaskCompletionSource batch)
        {
            while (true)
            {
                try
                {
                    await owner.WaitAsync(server);
                    batch.TrySetResult();
                }
                catch (Exception exception)
                {
                    batch.TrySetException(exception);
                }
                lock (_lock)
                {
                    if (_next is null)
                    {
                        _inFlight = false;
                        return;
                    }
                    batch = _next;
                    _next = null;
                }
            }
        }
    }
}

/// <summary>A write its primary holds and not enough replicas confirmed in time: unavailable for the moment, never lost once acknowledged.</summary>
public sealed class ReplicasBehindException(string message) : RedisException(message);
