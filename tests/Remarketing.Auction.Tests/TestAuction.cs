using Microsoft.Extensions.Time.Testing;

namespace Remarketing.Auction.Tests;

/// <summary>An engine on the shared Redis with its own fake clock, and shorthands for listing and bidding.</summary>
public sealed class TestAuction
{
    public const string GroundingDealer = "D-GROUND";

    /// <summary>The remarketing center's caller key (<see cref="Remarketing.ServiceDefaults.Security.CompositeKey"/>).</summary>
    public const string Center = "11:remarketing4:RC-1";
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 14, 0, 0, TimeSpan.Zero);

    private int _bids;

    public TestAuction(IConnectionMultiplexer redis, Action<AuctionOptions>? configure = null)
    {
        Redis = redis;
        var options = new AuctionOptions();
        configure?.Invoke(options);
        Options = options;
        var created = Microsoft.Extensions.Options.Options.Create(options);
        Engine = new AuctionEngine(redis, Clock, created, new ListingHandOffs(Outbox, created));
    }

    public IConnectionMultiplexer Redis { get; }

    /// <summary>The Auction's outbox (the engine writes hand-offs to it; nothing delivers them here).</summary>
    public Outbox Outbox { get; } = new("auction");

    public FakeTimeProvider Clock { get; } = new(Start);

    public AuctionOptions Options { get; }

    public AuctionEngine Engine { get; }

    /// <summary>The same Redis and options behind a new engine: what a restarted (or second) Auction instance sees.</summary>
    public AuctionEngine AnotherInstance(IConnectionMultiplexer redis)
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        return new(redis, Clock, options, new ListingHandOffs(Outbox, options));
    }

    public static NewListing Listing(
        long floor = 0, long buyNow = 0, TimeSpan? window = null, long opening = 0, string? requestId = null, string? vin = null) =>
        new(
            RequestId: requestId ?? Guid.NewGuid().ToString("N"),
            Vin: vin ?? TestVins.Next(),
            GroundingDealerId: GroundingDealer,
            FloorPriceCents: floor,
            BuyNowPriceCents: buyNow,
            Window: window,
            ModelYear: 2023,
            Make: "Honda",
            Model: "Accord",
            Trim: "EX-L",
            OdometerMiles: 31_250,
            ConditionGradeTenths: 38,
            OpeningPriceCents: opening,
            CaseId: "C-1",
            ConditionReportId: "CR-1");

    public Task<ListingRecord> CreateAsync(long floor = 0, long buyNow = 0, TimeSpan? window = null, long opening = 0) =>
        Engine.CreateListingAsync("remarketing-1", Listing(floor, buyNow, window, opening));

    public Task<BidAnswer> BidAsync(ListingRecord listing, string dealer, long amount, long maximum = 0, string? bidId = null) =>
        Engine.PlaceBidAsync(dealer, listing.ListingId, bidId ?? $"bid-{Interlocked.Increment(ref _bids)}", amount, maximum);

    public Task<ListingRecord> ReadAsync(ListingRecord listing) => Engine.GetListingAsync(listing.ListingId);

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(ListingRecord listing) =>
        (await Redis.GetDatabase().StreamRangeAsync(AuctionKeys.Events(listing.ListingId))).Select(StoredEvent.From).ToList();

    /// <summary>The hand-offs of one listing to <paramref name="method"/> waiting in the outbox.</summary>
    public async Task<IReadOnlyList<T>> HandedOffAsync<T>(ListingRecord listing, string method) where T : IMessage<T>, new() =>
        (await Redis.GetDatabase().StreamRangeAsync(Outbox.Pending))
        .Where(entry => ((string)entry[HandOffField.Operation]!).EndsWith("/" + method, StringComparison.Ordinal))
        .Select(entry => new MessageParser<T>(() => new T()).ParseFrom((byte[])entry[HandOffField.Body]!))
        .Where(request => ((string)request.Descriptor.FindFieldByName("request_id").Accessor.GetValue(request)).Contains($"/{listing.ListingId}/", StringComparison.Ordinal))
        .ToList();
}
