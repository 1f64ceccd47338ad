namespace Remarketing.Inspection.Domain;

/// <summary>What a change owes other services, written with it and delivered after it (the outbox).</summary>
public abstract record InspectionHandOff
{
    private InspectionHandOff(InspectionOrderRecord order) => Order = order;

    /// <summary>The order the hand-off is about.</summary>
    public InspectionOrderRecord Order { get; }

    /// <summary>To Quote: a step of the case's journey.</summary>
    public sealed record JourneyStepReached(InspectionOrderRecord Order, JourneyStep Kind, DateTimeOffset At, string Detail) : InspectionHandOff(Order);

    /// <summary>To Quote: the inspector's odometer and the excess wear charges; once Quote has taken them, <paramref name="Disposal"/>.</summary>
    /// <param name="Disposal">The vehicle's listing or pickup, which waits on Quote's acknowledgement.</param>
    public sealed record ResultToQuote(InspectionOrderRecord Order, ConditionReportRecord Report, InspectionHandOff Disposal) : InspectionHandOff(Order);

    /// <summary>To Auction: an eligible vehicle to list.</summary>
    public sealed record ListingToAuction(InspectionOrderRecord Order, ConditionReportRecord Report, TimeSpan Window) : InspectionHandOff(Order);

    /// <summary>To Transport: an ineligible vehicle for a transporter to collect.</summary>
    public sealed record PickupToTransport(InspectionOrderRecord Order, ConditionReportRecord Report, string Destination) : InspectionHandOff(Order);
}
