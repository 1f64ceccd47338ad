using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Invariants;
using Remarketing.ServiceDefaults.Clients;

namespace Remarketing.Inspection;

public static class InspectionExtensions
{
    public static WebApplicationBuilder AddInspection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InspectionOptions>().BindConfiguration(InspectionOptions.Section)
            .Validate(options => options.InspectionWindow >= TimeSpan.FromDays(1) && options.InspectionWindow <= TimeSpan.FromDays(5),
                "Inspection:InspectionWindow must be 1 to 5 days (the seeds: an inspection within 1-5 days)")
            .Validate(options => options.Pricing.ListingWindow >= TimeSpan.FromDays(1) && options.Pricing.ListingWindow <= TimeSpan.FromDays(6),
                "Inspection:Pricing:ListingWindow must be 1 to 6 days (SmartAuction is open up to 6 days)")
            .Validate(options => options.Pricing.FloorBasisPoints >= 0 && options.Pricing.BuyNowBasisPoints >= 0 && options.Pricing.OpeningBasisPoints >= 0
                && options.Pricing.FloorBasisPointsPerGradeTenth >= 0, "Inspection:Pricing: basis points cannot be negative")
            .Validate(options => options.Eligibility.MinimumGradeTenths is >= 0 and <= 50, "Inspection:Eligibility:MinimumGradeTenths must be 0-50")
            .Validate(options => Enum.GetValues<Domain.DamageType>().All(options.WearStandard.Damage.ContainsKey),
                "Inspection:WearStandard:Damage needs a rule for every damage kind")
            .Validate(options => options.NoInspectionStates.All(state => ServiceDefaults.Domain.UsStates.IsState(state)),
                "Inspection:NoInspectionStates lists two-letter US state codes")
            .ValidateOnStart();
        builder.AddHandOffs("quote", "auction", "transport");
        builder.Services.AddReturnCaseReferences();
        builder.AddInvariantCheck<OrderInvariants>();
        builder.Services.AddSingleton<InspectionStore>();
        builder.Services.AddSingleton<InspectionDesk>();
        return builder;
    }
}
