namespace Remarketing.Quote.Domain;

public sealed record ReturnCaseRecord(
    string CaseId,
    string GroundingDealerId,
    string DealerState,
    DateOnly ReturnDate,
    Termination Termination,
    OdometerRecord Odometer,
    ReturnedItemsRecord ReturnedItems,
    Disposition Disposition,
    CaseState State,
    DateTimeOffset NotifiedAt)
{
    public DateTimeOffset? HoldUntil { get; init; }

    /// <summary>The traceparent of the vehicle's journey, kept when this record was made: hand-offs about it are sent in that trace.</summary>
    public string Journey { get; init; } = "";

    public string? ProofOfResaleId { get; init; }

    /// <summary>When the dealer purchase completed.</summary>
    public DateTimeOffset? PurchasedAt { get; init; }

    /// <summary>A Purchase for Lessee whose lessee chose to have the security deposit reduce the price.</summary>
    public bool SecurityDepositApplied { get; init; }

    public InspectionRecord? Inspection { get; init; }

    /// <summary>The result that stands: the last one recorded (a physical sale after an unsold listing, say).</summary>
    public AuctionResultRecord? AuctionResult { get; init; }

    /// <summary>The SmartAuction listing the case went on (OpenListing), until its result comes.</summary>
    public OpenListingRecord? SmartAuctionListing { get; init; }

    /// <summary>Results recorded before the one that stands, oldest first: the case's history only grows.</summary>
    public IReadOnlyList<AuctionResultRecord> EarlierAuctionResults { get; init; } = [];

    /// <summary>The steps the other services reported (inspection ordered, listed, pickup ...), as they came.</summary>
    public IReadOnlyList<CaseEventRecord> Events { get; init; } = [];

    /// <summary>What the remarketing center is to look at; the case goes on meanwhile.</summary>
    public IReadOnlyList<ReviewFlag> ReviewFlags { get; init; } = [];

    public bool IsEarlyTermination => Termination == Termination.Early;

    /// <summary>The reading charges are figured on: the inspector's once inspected, else the odometer statement.</summary>
    public long OdometerMiles => Inspection?.OdometerMiles ?? Odometer.Miles;

    public bool IsOpen => State is not (CaseState.Purchased or CaseState.Settled);
}
