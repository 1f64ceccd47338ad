namespace Remarketing.Transport.Domain;

/// <summary>
/// One pickup order, stored whole and replaced whole by every change (optimistic concurrency).
/// It holds the documents that release the vehicle, so it is only ever shown through a caller's
/// view (PickupAccess.SeenBy).
/// </summary>
/// <param name="ListingId">Empty for a vehicle that did not go through SmartAuction.</param>
/// <param name="BuyerDealerId">Buyer pickups only.</param>
/// <param name="ProofOfSaleId">Buyer pickups only: the document the buyer collects with.</param>
/// <param name="Destination">Transporter pickups: where the carrier takes the vehicle, free text.</param>
public sealed record PickupOrderRecord(
    string OrderId,
    PickupType Kind,
    string CaseId,
    string ListingId,
    VehicleRecord Vehicle,
    string GroundingDealerId,
    string BuyerDealerId,
    string ProofOfSaleId,
    string Destination,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueBy)
{
    /// <summary>Refused releases listed on an order (all are counted): a dealer cannot grow an order without bound.</summary>
    public const int ListedRefusals = 50;

    public OrderState State { get; init; } = Kind == PickupType.Buyer ? OrderState.ReadyForPickup : OrderState.AwaitingCarrier;

    public string CarrierId { get; init; } = "";

    /// <summary>The traceparent of the vehicle's journey, kept when this record was made: hand-offs about it are sent in that trace.</summary>
    public string Journey { get; init; } = "";

    /// <summary>The assigned carrier's bill of lading; the only one that can release the vehicle, while it is valid.</summary>
    public BillOfLading? Bill { get; init; }

    /// <summary>Bills of lading issued before the current one (each expired before it was replaced).</summary>
    public IReadOnlyList<BillOfLading> EarlierBills { get; init; } = [];

    public DateTimeOffset? ReleasedAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>When the clock job noticed the pickup overdue (the flag itself is <see cref="IsOverdueAt"/>).</summary>
    public DateTimeOffset? OverdueNotedAt { get; init; }

    public int RefusedReleaseCount { get; init; }

    /// <summary>The latest <see cref="ListedRefusals"/> refused releases, oldest first.</summary>
    public IReadOnlyList<RefusedRelease> RefusedReleases { get; init; } = [];

    /// <summary>The sequence of the last change on the order's log.</summary>
    public long Sequence { get; init; }

    public bool IsReleased => State is OrderState.Released or OrderState.Delivered;

    /// <summary>Past its due time and not released.</summary>
    public bool IsOverdueAt(DateTimeOffset now) => !IsReleased && now > DueBy;

    /// <summary>The order as one more change leaves it: the change's sequence follows the last.</summary>
    public PickupOrderRecord Changed() => this with { Sequence = Sequence + 1 };

    public PickupOrderRecord WithRefusal(RefusedRelease refusal) => this with
    {
        RefusedReleaseCount = RefusedReleaseCount + 1,
        RefusedReleases = [.. RefusedReleases.Append(refusal).TakeLast(ListedRefusals)],
    };
}
