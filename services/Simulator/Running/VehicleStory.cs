using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>Where a vehicle is in the lease-end lifecycle, as the simulated people have seen it.</summary>
public enum Stage
{
    LeaseActive,
    HeldForDealerPurchase,
    BoughtByDealer,
    AwaitingInspection,
    WithRemarketingCenter,
    Inspected,
    Listed,
    AwaitingPickup,
    InTransit,
    Delivered,
    SoldAtPhysicalAuction,
}

/// <summary>How a vehicle left the lender, once it has.</summary>
public enum LifecyclePath
{
    UnderWay,
    BoughtByDealer,
    SoldAndPickedUp,
    UnsoldAndTransported,
    IneligibleAndTransported,
}

/// <summary>One vehicle's story so far: its plan and what the simulated people have learned and done.</summary>
public sealed class VehicleStory(PlannedVehicle plan)
{
    public PlannedVehicle Plan { get; } = plan;

    public Stage Stage { get; set; } = Stage.LeaseActive;

    public string? CaseId { get; set; }

    public DateTimeOffset? HoldUntil { get; set; }

    public string? InspectionOrderId { get; set; }

    public bool QueuedForRemarketingCenter { get; set; }

    public bool? Eligible { get; set; }

    public string? ListingId { get; set; }

    public bool Sold { get; set; }

    public long SalePriceCents { get; set; }

    public long FloorPriceCents { get; set; }

    /// <summary>The condition grade the inspection gave, in tenths (what the physical auction's buyers see too).</summary>
    public int GradeTenths { get; set; }

    /// <summary>The hammer price at the physical auction, once the remarketing center recorded the sale.</summary>
    public long PhysicalSalePriceCents { get; set; }

    public string? PickupOrderId { get; set; }

    /// <summary>The document the picker holds: the buyer's proof of sale or the carrier's bill of lading.</summary>
    public string? Document { get; set; }

    public string? CarrierId { get; set; }

    public string? BuyerId { get; set; }

    /// <summary>A step is booked for the pickup (arrival, release, delivery), so a later poll does not book it again.</summary>
    public bool PickupBooked { get; set; }

    public bool InspectionBooked { get; set; }

    /// <summary>Waits for a service's hand-off: the inspection order after a return, the listing or pickup after a report, the pickup after an auction's close.</summary>
    public bool WaitingForHandOff(DateTimeOffset now) => Stage switch
    {
        Stage.AwaitingInspection => InspectionOrderId is null,
        Stage.HeldForDealerPurchase => HoldUntil is { } until && now > until,
        Stage.Inspected => true,
        Stage.AwaitingPickup => PickupOrderId is null,
        _ => false,
    };

    public LifecyclePath Path => Stage switch
    {
        Stage.BoughtByDealer => LifecyclePath.BoughtByDealer,
        Stage.Delivered when Sold => LifecyclePath.SoldAndPickedUp,
        Stage.Delivered or Stage.SoldAtPhysicalAuction when ListingId is not null => LifecyclePath.UnsoldAndTransported,
        Stage.Delivered or Stage.SoldAtPhysicalAuction => LifecyclePath.IneligibleAndTransported,
        _ => LifecyclePath.UnderWay,
    };
}
