using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Clients;
using Microsoft.Extensions.Time.Testing;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Streaming;
using Remarketing.Transport.Domain;
using StackExchange.Redis;
using static Microsoft.Extensions.Options.Options;

namespace Remarketing.Transport.Tests;

/// <summary>
/// A Transport desk on the shared Redis with its own fake clock and its own parties (dealers,
/// buyers, carriers named for this instance), so a test sees only its own orders in every list
/// but the center's. The watch hub starts on the first <see cref="WatchAsync"/>.
/// </summary>
public sealed class TestTransport : IAsyncDisposable
{
    /// <summary>Tuesday 2026-11-24, 15:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);

    public static readonly Caller Center = new("RC-1", RoleNames.Remarketing);

    /// <summary>The Auction service handing a sold or unsold vehicle over.</summary>
    public static readonly Caller FromAuction = new("auction", RoleNames.Service);

    private static int _instances;
    private readonly string _tag = $"{Interlocked.Increment(ref _instances)}-{Guid.NewGuid().ToString("N")[..6]}";
    private readonly GrpcChannel _nobody = GrpcChannel.ForAddress("http://127.0.0.1:9");
    private int _cases;
    private bool _watching;

    public TestTransport(IConnectionMultiplexer redis, Action<TransportOptions>? configure = null, TimeSpan? heartbeatInterval = null)
    {
        Redis = redis;
        var options = new TransportOptions();
        configure?.Invoke(options);
        Options = options;
        Store = new TransportStore(redis, Outbox);
        Desk = new PickupDesk(Store, Clock, Create(options));
        Hub = new OrderWatchHub(redis, Store, Desk, Clock,
            Create(new StreamOptions { HeartbeatInterval = heartbeatInterval ?? TimeSpan.FromSeconds(5) }), new HeartbeatTicker(), NullLogger<OrderWatchHub>.Instance);
        // No Quote or Auction service runs beside this desk: a person's pickup naming a case or a
        // listing is refused Unavailable here (services' are taken as they come).
        Calls = new TransportCalls(new TransportGrpcService(Desk, Hub,
            new ReturnCaseReferences(new QuoteService.QuoteServiceClient(_nobody)), new ListingReferences(new AuctionService.AuctionServiceClient(_nobody))));
        Jobs = new OverduePickups(Store, Clock, Create(options), NullLogger<OverduePickups>.Instance);
        Dealer = new($"D-{_tag}", RoleNames.GroundingDealer);
        OtherDealer = new($"D2-{_tag}", RoleNames.GroundingDealer);
        Buyer = new($"B-{_tag}", RoleNames.Buyer);
        OtherBuyer = new($"B2-{_tag}", RoleNames.Buyer);
        Carrier = new($"C-{_tag}", RoleNames.Transporter);
        OtherCarrier = new($"C2-{_tag}", RoleNames.Transporter);
    }

    public IConnectionMultiplexer Redis { get; }

    /// <summary>Transport's outbox (the store writes hand-offs to it; nothing delivers them here).</summary>
    public Outbox Outbox { get; } = new("transport");

    public FakeTimeProvider Clock { get; } = new(Start);

    public TransportOptions Options { get; }

    public TransportStore Store { get; }

    public PickupDesk Desk { get; }

    public OrderWatchHub Hub { get; }

    /// <summary>The Transport service's operations, called in process through its gRPC face.</summary>
    public TransportCalls Calls { get; }

    /// <summary>The overdue notices, run by hand: the test's clock decides what is due.</summary>
    public OverduePickups Jobs { get; }

    /// <summary>The grounding dealer of this instance's orders.</summary>
    public Caller Dealer { get; }

    public Caller OtherDealer { get; }

    /// <summary>The buyer of this instance's buyer pickups.</summary>
    public Caller Buyer { get; }

    public Caller OtherBuyer { get; }

    public Caller Carrier { get; }

    public Caller OtherCarrier { get; }

    public string NewCaseId() => $"A-{_tag}-R{Interlocked.Increment(ref _cases)}";

    public static string NewRequestId() => Guid.NewGuid().ToString("N");

    public CreatePickupRequest BuyerPickup(string? caseId = null, string? listingId = null, string? proofOfSaleId = null) => new()
    {
        RequestId = NewRequestId(),
        Kind = PickupKind.Buyer,
        CaseId = caseId ?? NewCaseId(),
        ListingId = listingId ?? $"L-{Guid.NewGuid():N}",
        Vehicle = new Vehicle { Vin = TestVins.Next(), ModelYear = 2023, Make = "Honda", Model = "Accord", Trim = "EX-L" },
        GroundingDealerId = Dealer.Subject,
        BuyerDealerId = Buyer.Subject,
        ProofOfSaleId = proofOfSaleId ?? $"POS-{Guid.NewGuid():N}",
    };

    public CreatePickupRequest TransporterPickup(string? caseId = null, string? listingId = null) => new()
    {
        RequestId = NewRequestId(),
        Kind = PickupKind.Transporter,
        CaseId = caseId ?? NewCaseId(),
        ListingId = listingId ?? "",
        Vehicle = new Vehicle { Vin = TestVins.Next(), ModelYear = 2021, Make = "Toyota", Model = "Camry" },
        GroundingDealerId = Dealer.Subject,
        Destination = "Manheim Columbus, 3905 Gantz Rd, Grove City OH",
    };

    /// <summary>A sold vehicle's pickup, as the center sees it (with its proof of sale).</summary>
    public Task<PickupOrder> NewBuyerPickupAsync() => Calls.CreatePickupAsync(FromAuction, BuyerPickup());

    /// <summary>An unsold vehicle's pickup, awaiting a carrier.</summary>
    public Task<PickupOrder> NewTransporterPickupAsync() => Calls.CreatePickupAsync(FromAuction, TransporterPickup());

    /// <summary>A transporter pickup <see cref="Carrier"/> took: as the carrier sees it, with its bill of lading.</summary>
    public async Task<PickupOrder> NewAssignedPickupAsync()
    {
        var order = await NewTransporterPickupAsync();
        return await AssignAsync(order.OrderId, Carrier);
    }

    public Task<PickupOrder> AssignAsync(string orderId, Caller carrier) =>
        Calls.AssignCarrierAsync(carrier, new AssignCarrierRequest { RequestId = NewRequestId(), OrderId = orderId });

    public static ReleaseVehicleRequest Release(string orderId, string documentId) =>
        new() { RequestId = NewRequestId(), OrderId = orderId, DocumentId = documentId };

    public Task<PickupOrder> ReleaseAsync(string orderId, string documentId) => Calls.ReleaseAsync(Dealer, Release(orderId, documentId));

    public static ConfirmDeliveryRequest Delivery(string orderId) => new() { RequestId = NewRequestId(), OrderId = orderId };

    /// <summary>The order as the remarketing center sees it: everything.</summary>
    public Task<PickupOrder> AsCenterAsync(string orderId) => Calls.GetAsync(Center, orderId);

    /// <summary>Every order the caller's list shows, page after page.</summary>
    public async Task<List<PickupOrder>> ListAllAsync(Caller caller, ListPickupOrdersRequest? request = null)
    {
        request ??= new ListPickupOrdersRequest { Page = new PageRequest { PageSize = 200 } };
        var orders = new List<PickupOrder>();
        while (true)
        {
            var page = await Calls.ListAsync(caller, request);
            orders.AddRange(page.Orders);
            if (page.Page.NextPageToken.Length == 0)
                return orders;
            request = request.Clone();
            request.Page ??= new PageRequest();
            request.Page.PageToken = page.Page.NextPageToken;
        }
    }

    public Task<PickupOrderRecord?> StoredAsync(string orderId) => Store.FindAsync(orderId);

    /// <summary>The hand-offs to Quote waiting in the outbox for one case, oldest first.</summary>
    public async Task<IReadOnlyList<RecordCaseEventRequest>> HandOffsAsync(string caseId) =>
        (await Redis.GetDatabase().StreamRangeAsync(Outbox.Pending))
        .Where(entry => ((string)entry[HandOffField.Operation]!).EndsWith("/RecordCaseEvent", StringComparison.Ordinal))
        .Select(entry => RecordCaseEventRequest.Parser.ParseFrom((byte[])entry[HandOffField.Body]!))
        .Where(request => request.CaseId == caseId).ToList();

    /// <summary>Opens a WatchOrder stream as <paramref name="caller"/>; dispose the watch to end it.</summary>
    public async Task<OrderWatch> WatchAsync(Caller caller, string orderId, long afterSequence = 0)
    {
        if (!_watching)
        {
            _watching = true;
            await Hub.StartAsync(CancellationToken.None);
        }
        return new OrderWatch(Calls, caller, new WatchOrderRequest { OrderId = orderId, AfterSequence = afterSequence });
    }

    public async ValueTask DisposeAsync()
    {
        if (_watching)
            await Hub.StopAsync(CancellationToken.None);
        await Hub.DisposeAsync();
        Outbox.Dispose();
        _nobody.Dispose();
    }
}
