namespace Remarketing.Quote.Tests;

/// <summary>The real services and gateway as processes on one Redis.</summary>
public sealed class QuoteSystemFixture : SystemOnRedisFixture
{
    public QuoteService.QuoteServiceClient Client { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Client = new QuoteService.QuoteServiceClient(System.GatewayChannel());
    }
}
