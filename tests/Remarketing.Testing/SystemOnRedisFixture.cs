using StackExchange.Redis;
using Xunit;

namespace Remarketing.Testing;

/// <summary>
/// The real services and gateway as processes on a Redis of their own, for a test class or
/// collection: a subclass gives the settings every process gets.
/// </summary>
public abstract class SystemOnRedisFixture : IAsyncLifetime
{
    private RedisServer? _redis;

    public RemarketingSystem System { get; private set; } = null!;

    /// <summary>The system's Redis server: its address and its users' passwords (KeysDirectory).</summary>
    public RedisServer RedisServer => _redis ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>The system's Redis (as its admin), to see what a call changed.</summary>
    public IConnectionMultiplexer Redis { get; private set; } = null!;

    /// <summary>Configuration every process of the system gets.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Bind the gateway's HTTP/1.1 port on every interface (to call it from another address).</summary>
    protected virtual bool GatewayHttpOnAllInterfaces => false;

    /// <summary>How many processes of every service and of the gateway (<c>./run.sh --instances N</c>).</summary>
    protected virtual int Instances => 1;

    public virtual async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Redis = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        System = await RemarketingSystem.StartAsync(_redis, Settings, GatewayHttpOnAllInterfaces, instances: Instances);
    }

    public virtual async Task DisposeAsync()
    {
        if (Redis is not null)
            await Redis.DisposeAsync();
        if (System is not null)
            await System.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
    }
}
