namespace Remarketing.Transport.Domain;

/// <summary>One entry of an order's log: the change, when it happened on the clock, and the order as it left it.</summary>
public sealed record LoggedChange(long Sequence, OrderChange Change, DateTimeOffset At, PickupOrderRecord Order);
