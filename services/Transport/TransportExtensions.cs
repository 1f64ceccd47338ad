using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Invariants;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Clients;

namespace Remarketing.Transport;

public static class TransportExtensions
{
    public static WebApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section)
            .Validate(options => options.PickupWindow >= TransportOptions.ShortestPickupWindow && options.PickupWindow <= TransportOptions.LongestPickupWindow,
                "Transport:PickupWindow must be 1-7 days (1.00:00:00 to 7.00:00:00)")
            .Validate(options => options.BillOfLadingValidity > TimeSpan.Zero && options.BillOfLadingValidity <= TimeSpan.FromDays(30),
                "Transport:BillOfLadingValidity must be more than 0 and at most 30 days")
            .Validate(options => options.JobInterval > TimeSpan.Zero, "Transport:JobInterval must be more than 0")
            .ValidateOnStart();
        builder.AddHandOffs("quote");
        builder.Services.AddReturnCaseReferences();
        builder.Services.AddServiceClient<AuctionService.AuctionServiceClient>("auction");
        builder.Services.AddTransient<ListingReferences>();
        builder.AddInvariantCheck<OrderInvariants>();
        builder.Services.AddSingleton<TransportStore>();
        builder.Services.AddSingleton<PickupDesk>();
        builder.Services.AddSingleton<OrderWatchHub>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OrderWatchHub>());
        builder.Services.AddHostedService<OverduePickups>();
        return builder;
    }
}
