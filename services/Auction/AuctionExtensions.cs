using Remarketing.Auction.Engine;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Invariants;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Auction;

public static class AuctionExtensions
{
    public static WebApplicationBuilder AddAuction(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuctionOptions>().BindConfiguration(AuctionOptions.Section)
            .Validate(options => IncrementTable.Validate(options.EffectiveIncrements) is null, "Auction:Increments is not a valid increment table")
            .Validate(options => options.DefaultWindow > TimeSpan.Zero && options.DefaultWindow <= AuctionOptions.MaximumWindow, "Auction:DefaultWindow must be more than 0 and at most 6 days")
            .Validate(options => options.SoftClose >= TimeSpan.Zero, "Auction:SoftClose cannot be negative")
            .ValidateOnStart();
        builder.AddHandOffs("quote", "transport");
        builder.Services.AddServiceClient<QuoteService.QuoteServiceClient>("quote");
        builder.Services.AddTransient<CaseDisposals>();
        builder.Services.AddSingleton<ListingHandOffs>();
        builder.Services.AddSingleton<AuctionEngine>();
        builder.Services.AddSingleton<AuctionMetrics>();
        builder.Services.AddSingleton<MarketFeed>();
        builder.Services.AddSingleton<MyBidsNotices>();
        builder.Services.AddSingleton<ListingChannels>();
        builder.Services.AddSingleton<ListingEventHub>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ListingEventHub>());
        builder.Services.AddHostedService<ListingCloser>();
        builder.AddInvariantCheck<ListingInvariants>();
        return builder;
    }
}
