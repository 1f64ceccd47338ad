namespace Remarketing.Transport.Domain;

/// <summary>What a change to an order was, as its log records it.</summary>
public enum OrderChange
{
    Ordered,
    CarrierAssigned,
    ReleaseRefused,
    Released,
    Delivered,

    /// <summary>The pickup passed its due time unreleased (noticed by the clock job).</summary>
    Overdue,
}
