using Remarketing.Inspection.Domain;

namespace Remarketing.Inspection;

public sealed class InspectionOptions
{
    public const string Section = "Inspection";

    /// <summary>An inspection is due this long after it is ordered (the seeds: within 1-5 days).</summary>
    public TimeSpan InspectionWindow { get; set; } = TimeSpan.FromDays(3);

    // Lists are set in appsettings.json, not here: configuration adds to a list's defaults instead of replacing them.

    /// <summary>States where no third-party inspection is offered: the case goes to the remarketing center (the seeds: AK, HI, SD).</summary>
    public List<string> NoInspectionStates { get; set; } = [];

    /// <summary>
    /// The inspection companies (their inspectors' token subjects). Each order is assigned to one,
    /// by its case, and only that one may accept it. Empty: any inspector may accept any order.
    /// </summary>
    public List<string> Companies { get; set; } = [];

    /// <summary>Where a transporter takes a vehicle that may not be sold on SmartAuction.</summary>
    public string IneligibleDestination { get; set; } = "remarketing center's physical auction lot";

    public WearStandard WearStandard { get; set; } = new();

    public EligibilityRule Eligibility { get; set; } = new();

    public PricingPolicy Pricing { get; set; } = new();
}
