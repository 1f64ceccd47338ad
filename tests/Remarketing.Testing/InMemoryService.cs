using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Remarketing.Testing;

/// <summary>
/// One service hosted in memory (WebApplicationFactory) on a real Redis, reached through a real
/// <see cref="GrpcChannel"/>. <typeparamref name="TEntryPoint"/> is any type of the service's assembly.
/// </summary>
public class InMemoryService<TEntryPoint> : IAsyncLifetime where TEntryPoint : class
{
    private WebApplicationFactory<TEntryPoint>? _factory;

    public RedisServer Redis { get; private set; } = null!;

    public TestTokens Tokens { get; } = new();

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>Settings beyond Redis and the signing key.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    /// <summary>Replaces services after the host's own registrations, e.g. the clock with a fake one.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        _factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(host =>
        {
            host.UseEnvironment("Test");
            // As the service's own Redis user, as it runs: "Remarketing.Auction" logs in as "auction".
            var service = typeof(TEntryPoint).Assembly.GetName().Name!.Split('.')[^1].ToLowerInvariant();
            foreach (var (key, value) in Redis.ServiceSettings)
                host.UseSetting(key, value);
            host.UseSetting("Redis:User", service);
            host.UseSetting("Redis:PasswordFile", Remarketing.ServiceDefaults.Redis.RedisAccess.PasswordFile(Redis.KeysDirectory, service));
            foreach (var (key, value) in Tokens.Settings().Concat(Settings()))
                host.UseSetting(key, value);
            host.ConfigureTestServices(ConfigureServices);
        });
        Channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
