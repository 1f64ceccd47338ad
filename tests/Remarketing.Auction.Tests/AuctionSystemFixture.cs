using Grpc.Net.Client;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Auction.Tests;

/// <summary>The real services and gateway as processes on one Redis, with short heartbeats and a generous rate limit.</summary>
public sealed class AuctionSystemFixture : SystemOnRedisFixture
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Each stream's queue, in the services and the gateway: small enough that a test can fill it.</summary>
    public const int StreamQueueCapacity = 64;

    private int _requests;

    public GrpcChannel Gateway { get; private set; } = null!;

    public AuctionService.AuctionServiceClient Client { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Streams:HeartbeatInterval"] = HeartbeatInterval.ToString(),
        ["Streams:QueueCapacity"] = StreamQueueCapacity.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:Writes:TokenLimit"] = "100000",
        ["RateLimits:Writes:TokensPerPeriod"] = "100000",
        ["RateLimits:Reads:TokenLimit"] = "100000",
        ["RateLimits:Reads:TokensPerPeriod"] = "100000",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Gateway = System.GatewayChannel();
        Client = new AuctionService.AuctionServiceClient(Gateway);
    }

    public Metadata Buyer(string dealer) => System.Tokens.Bearer(dealer, RoleNames.Buyer);

    public Metadata Remarketing => System.Tokens.Bearer("RC-1", RoleNames.Remarketing);

    public string NextRequestId() => $"r-{Interlocked.Increment(ref _requests)}-{Guid.NewGuid():N}";

    public async Task<Listing> CreateListingAsync(long opening = 1_000_00, long floor = 0, long buyNow = 0)
    {
        var request = new CreateListingRequest
        {
            RequestId = NextRequestId(),
            Vin = TestVins.Next(),
            GroundingDealerId = TestAuction.GroundingDealer,
            OpeningPriceCents = opening,
            FloorPriceCents = floor,
            BuyNowPriceCents = buyNow,
            Vehicle = new() { ModelYear = 2022, Make = "Toyota", Model = "Camry", Trim = "SE" },
            OdometerMiles = 28_000,
            ConditionGradeTenths = 41,
        };
        return await Client.CreateListingAsync(request, Remarketing);
    }

    public Task<PlaceBidResponse> BidAsync(Listing listing, string dealer, long amount, long maximum = 0) =>
        Client.PlaceBidAsync(new PlaceBidRequest { ListingId = listing.ListingId, BidId = NextRequestId(), AmountCents = amount, MaxAmountCents = maximum }, Buyer(dealer)).ResponseAsync;
}
