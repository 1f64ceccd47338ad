namespace Remarketing.Transport.Tests;

/// <summary>The Transport service hosted in memory on its own Redis, its hand-offs aimed at a port where nothing answers.</summary>
public sealed class TransportHost : InMemoryService<TransportGrpcService>
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Services:quote", "http://127.0.0.1:1"),
        new("Streams:HeartbeatInterval", "00:00:00.200"),
    ];
}
