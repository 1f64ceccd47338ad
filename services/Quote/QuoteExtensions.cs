using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Invariants;

namespace Remarketing.Quote;

public static class QuoteExtensions
{
    public static WebApplicationBuilder AddQuote(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuoteOptions>().BindConfiguration(QuoteOptions.Section)
            .Validate(options => options.DealerPurchaseHold > TimeSpan.Zero, "Quote:DealerPurchaseHold must be more than 0")
            .Validate(options => options.ReturnKitDaysBeforeEnd >= 0, "Quote:ReturnKitDaysBeforeEnd cannot be negative")
            .Validate(options => options.QuoteValidityDays > 0, "Quote:QuoteValidityDays must be more than 0")
            .Validate(options => options.MaxDaysPerExtension > 0 && options.MaxTotalExtensionDays >= options.MaxDaysPerExtension && options.MaxExtensions >= 0,
                "Quote extension limits: MaxDaysPerExtension > 0, MaxTotalExtensionDays >= MaxDaysPerExtension, MaxExtensions >= 0")
            .Validate(options => options.ExtensionWindowDays >= 0, "Quote:ExtensionWindowDays cannot be negative")
            .Validate(options => options.InspectionOdometerToleranceMiles >= 0, "Quote:InspectionOdometerToleranceMiles cannot be negative")
            .Validate(options => options.ReportedTimeTolerance >= TimeSpan.Zero, "Quote:ReportedTimeTolerance cannot be negative")
            .Validate(options => options.MaxDaysPastScheduledEnd >= 0, "Quote:MaxDaysPastScheduledEnd cannot be negative")
            .Validate(options => options.JobInterval > TimeSpan.Zero, "Quote:JobInterval must be more than 0")
            .ValidateOnStart();
        builder.AddHandOffs("inspection");
        builder.AddInvariantCheck<ScheduleInvariants>();
        builder.Services.AddSingleton<QuoteStore>();
        builder.Services.AddSingleton<LeaseEndDesk>();
        builder.Services.AddSingleton<QuoteDesk>();
        builder.Services.AddSingleton<CaseJourneyDesk>();
        builder.Services.AddSingleton<DealerRegistry>();
        builder.Services.AddHostedService<LeaseEndJobs>();
        return builder;
    }
}
