namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>A stream that may need a heartbeat: ticked at half its heartbeat interval.</summary>
public interface IHeartbeatTarget
{
    void Tick();
}

/// <summary>
/// One timer per heartbeat interval for every open stream in the process, instead of a timer
/// each. Real time, not the shared clock: heartbeats keep proxies from cutting the connection.
/// </summary>
public static class HeartbeatTicker
{
    private static readonly Dictionary<TimeSpan, Group> Groups = [];

    public static void Add(IHeartbeatTarget target, TimeSpan interval)
    {
        lock (Groups)
        {
            if (!Groups.TryGetValue(interval, out var group))
                Groups[interval] = group = new Group(interval);
            group.Targets.Add(target);
        }
    }

    public static void Remove(IHeartbeatTarget target, TimeSpan interval)
    {
        lock (Groups)
        {
            if (!Groups.TryGetValue(interval, out var group) || !group.Targets.Remove(target) || group.Targets.Count > 0)
                return;
            Groups.Remove(interval);
            group.Timer.Dispose();
        }
    }

    private sealed class Group
    {
        public Group(TimeSpan interval) =>
            Timer = TimeProvider.System.CreateTimer(_ => Tick(), null, interval / 2, interval / 2);

        public HashSet<IHeartbeatTarget> Targets { get; } = [];

        public ITimer Timer { get; }

        private void Tick()
        {
            IHeartbeatTarget[] targets;
            lock (Groups)
                targets = [.. Targets];
            foreach (var target in targets)
                target.Tick();
        }
    }
}
