namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>A stream that may need a heartbeat: ticked at half its heartbeat interval.</summary>
public interface IHeartbeatTarget
{
    void Tick();
}

/// <summary>
/// One timer per heartbeat interval for every open stream of the process (one ticker, a singleton),
/// instead of a timer each. Real time by default, never the shared clock: heartbeats keep proxies
/// from cutting the connection. A test may give its own <see cref="TimeProvider"/> to move.
/// </summary>
public sealed class HeartbeatTicker(TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<TimeSpan, Group> _groups = [];

    public void Add(IHeartbeatTarget target, TimeSpan interval)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(interval, out var group))
                _groups[interval] = group = new Group(this, interval);
            group.Targets.Add(target);
        }
    }

    public void Remove(IHeartbeatTarget target, TimeSpan interval)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(interval, out var group) || !group.Targets.Remove(target) || group.Targets.Count > 0)
                return;
            _groups.Remove(interval);
            group.Timer.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_groups)
        {
            foreach (var group in _groups.Values)
                group.Timer.Dispose();
            _groups.Clear();
        }
    }

    private sealed class Group
    {
        private readonly HeartbeatTicker _ticker;

        public Group(HeartbeatTicker ticker, TimeSpan interval)
        {
            _ticker = ticker;
            Timer = ticker._time.CreateTimer(_ => Tick(), null, interval / 2, interval / 2);
        }

        public HashSet<IHeartbeatTarget> Targets { get; } = [];

        public ITimer Timer { get; }

        private void Tick()
        {
            IHeartbeatTarget[] targets;
            lock (_ticker._groups)
                targets = [.. Targets];
            foreach (var target in targets)
                target.Tick();
        }
    }
}
