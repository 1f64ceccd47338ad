namespace Remarketing.Transport.Domain;

/// <summary>An order as one caller may see it, and the clock's time it is shown at (whether it is overdue).</summary>
public sealed record OrderAnswer(PickupOrderRecord Order, DateTimeOffset AsOf);
