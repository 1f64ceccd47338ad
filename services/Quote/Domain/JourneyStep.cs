namespace Remarketing.Quote.Domain;

/// <summary>A step of a return case's journey through the services, in the order they usually happen. Stored by member name.</summary>
public enum JourneyStep
{
    ReturnNotified,
    HeldForDealerPurchase,
    DealerPurchaseCompleted,
    SentToRemarketing,
    InspectionScheduled,
    QueuedForRemarketingCenter,
    InspectionAccepted,
    Inspected,
    Listed,
    Sold,
    Unsold,
    PickupOrdered,
    CarrierAssigned,
    ReleaseRefused,
    Released,
    Delivered,
    Settled,
}
