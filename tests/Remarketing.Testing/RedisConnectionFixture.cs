using StackExchange.Redis;
using Xunit;

namespace Remarketing.Testing;

/// <summary>
/// One real Redis and one connection to it, shared by a test collection (each test project
/// declares the collection: xunit looks for collection definitions in the test assembly only).
/// Tests make their own keys, so none sees another's.
/// </summary>
public sealed class RedisConnectionFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(Server.Configuration);
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}
