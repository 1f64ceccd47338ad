namespace Remarketing.Quote.Tests;

/// <summary>The real services and gateway as processes on one Redis.</summary>
public sealed class QuoteSystemFixture : IAsyncLifetime
{
    private RedisServer? _redis;

    public RemarketingSystem System { get; private set; } = null!;

    public QuoteService.QuoteServiceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        System = await RemarketingSystem.StartAsync(_redis);
        Client = new QuoteService.QuoteServiceClient(System.GatewayChannel());
    }

    public async Task DisposeAsync()
    {
        if (System is not null)
            await System.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
    }
}
