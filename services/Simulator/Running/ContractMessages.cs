using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Simulator.Bots;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>The one place the scenario's plain records become the contracts' messages, and a listing a bot's view.</summary>
public static class ContractMessages
{
    public static Date ToDate(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static LeaseTerms Terms(PlannedLease lease) => new()
    {
        AccountId = lease.AccountId,
        Vehicle = new Vehicle { Vin = lease.Vin, ModelYear = lease.ModelYear, Make = lease.Make, Model = lease.Model, Trim = lease.Trim },
        LesseeState = lease.LesseeState,
        StartDate = ToDate(lease.StartDate),
        MaturityDate = ToDate(lease.MaturityDate),
        TermMonths = lease.TermMonths,
        MonthlyPaymentCents = lease.MonthlyPaymentCents,
        AdjustedCapitalizedCostCents = lease.AdjustedCapitalizedCostCents,
        AllowedMilesPerYear = lease.AllowedMilesPerYear,
        PurchasedAdditionalMiles = lease.PurchasedAdditionalMiles,
        PurchasedMilePriceCents = lease.PurchasedMilePriceCents,
        ExcessMileageRateCentsPerMile = lease.ExcessMileageRateCentsPerMile,
        StartingOdometerMiles = lease.StartingOdometerMiles,
        PurchaseOptionPriceCents = lease.ResidualCents,
        PurchaseOptionFeeCents = lease.PurchaseOptionFeeCents,
        DispositionFeeCents = lease.DispositionFeeCents,
        SecurityDepositCents = lease.SecurityDepositCents,
        PastDueCents = lease.PastDueCents,
        SalesTaxRateBasisPoints = lease.SalesTaxRateBasisPoints,
        UnpaidPersonalPropertyTaxCents = lease.UnpaidPersonalPropertyTaxCents,
        ExtensionDailyFeeCents = lease.ExtensionDailyFeeCents,
    };

    public static NotifyReturnRequest Return(PlannedVehicle plan) => new()
    {
        RequestId = $"{plan.Lease.AccountId}/return",
        AccountId = plan.Lease.AccountId,
        Vin = plan.Lease.Vin,
        ReturnDate = ToDate(plan.Return.ReturnDate),
        OdometerMiles = plan.Return.OdometerMiles,
        OdometerSignedByLessee = true,
        DealerState = plan.Return.DealerState,
        Disposition = plan.Return.Disposition switch
        {
            LeaseEnd.DealerPurchaseForLessee => ReturnDisposition.DealerPurchaseForLessee,
            LeaseEnd.DealerPurchaseForInventory => ReturnDisposition.DealerPurchaseForInventory,
            _ => ReturnDisposition.LesseeReturn,
        },
        ReturnedItems = new ReturnedItems
        {
            Keys = plan.Return.Keys,
            KeylessRemotes = plan.Return.KeylessRemotes,
            OwnersManual = plan.Return.OwnersManual,
            MaintenanceGuide = true,
            LeaseAgreementCopy = true,
        },
    };

    /// <summary>The condition report of what the inspector sees (the odometer a few miles on from the statement: the car was moved on the lot).</summary>
    public static SubmitConditionReportRequest Report(PlannedVehicle plan, string orderId)
    {
        var condition = plan.Condition;
        var report = new SubmitConditionReportRequest
        {
            RequestId = $"{plan.Lease.AccountId}/report",
            OrderId = orderId,
            OdometerMiles = plan.Return.OdometerMiles + plan.Index % 7,
            FrameDamage = condition.FrameDamage,
            FloodDamage = condition.FloodDamage,
            TitleProblem = condition.TitleProblem,
        };
        report.DamageObservations.AddRange(condition.Damage.Select(damage => new DamageObservation
        {
            Panel = damage.Panel,
            Kind = damage.Kind switch
            {
                Damage.Dent => DamageKind.Dent,
                Damage.Scratch => DamageKind.Scratch,
                Damage.Chip => DamageKind.Chip,
                Damage.Crack => DamageKind.Crack,
                Damage.Rust => DamageKind.Rust,
                Damage.Burn => DamageKind.Burn,
                Damage.Stain => DamageKind.Stain,
                _ => DamageKind.Tear,
            },
            SizeTenthsInch = damage.SizeTenthsInch,
            Severity = damage.Severity switch
            {
                DamageSeverity.Minor => Severity.Minor,
                DamageSeverity.Moderate => Severity.Moderate,
                _ => Severity.Severe,
            },
        }));
        report.Tires.AddRange(condition.Tires.Select(tire => new TireReading { Position = tire.Position, Tread32Nds = tire.Tread32nds }));
        report.Glass.AddRange(condition.Glass.Select(glass => new GlassObservation
        {
            Location = glass.Location,
            Condition = glass.Crack ? GlassCondition.Crack : GlassCondition.Chip,
            SizeTenthsInch = glass.SizeTenthsInch,
        }));
        report.MissingEquipment.AddRange(condition.MissingEquipment.Select(item => new MissingEquipment { Item = item, Count = 1 }));
        return report;
    }

    /// <summary>A buyer's view of a listing from its snapshot.</summary>
    public static ListingView View(Listing listing, long sequence) => new(
        listing.ListingId,
        listing.Vehicle?.Make ?? "",
        listing.Vehicle?.Model ?? "",
        listing.Vehicle?.ModelYear ?? 0,
        listing.OdometerMiles,
        listing.ConditionGradeTenths,
        At(listing.OpensAt),
        At(listing.EndsAt),
        listing.OpeningPriceCents,
        listing.CurrentPriceCents,
        listing.MinimumNextBidCents,
        listing.BuyNowPriceCents,
        listing.FloorMet,
        listing.BidCount,
        listing.CallerIsHighBidder,
        listing.CallerMaxAmountCents,
        listing.State == ListingState.Live,
        Math.Max(sequence, listing.LastSequence));

    public static DateTimeOffset At(Timestamp? timestamp) => timestamp?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
}
