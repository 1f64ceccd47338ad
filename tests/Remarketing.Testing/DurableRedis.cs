namespace Remarketing.Testing;

/// <summary>
/// A local redis-server with the durable setting: an append-only file fsynced before each reply
/// (appendfsync always), in a directory of its own. A test can kill it (SIGKILL) and start it
/// again on the same port from that file.
/// </summary>
public sealed class DurableRedis : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "remarketing-durable-redis", Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort.Next();
    private RedisServer? _server;

    private DurableRedis()
    {
    }

    public string Configuration => $"127.0.0.1:{_port}";

    public static async Task<DurableRedis> StartAsync()
    {
        var redis = new DurableRedis();
        Directory.CreateDirectory(redis._directory);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>SIGKILL: whatever Redis acknowledged must be in its append-only file already.</summary>
    public async Task KillAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        _server = null;
    }

    /// <summary>Starts Redis again on the same port, loading its append-only file.</summary>
    public async Task StartAgainAsync() =>
        _server = await RedisServer.StartLocalAsync(_port, "--dir", _directory, "--appendonly", "yes", "--appendfsync", "always");

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
