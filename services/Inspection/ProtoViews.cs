using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;
using Remarketing.Inspection.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using CommonVehicle = Remarketing.Contracts.Common.V1.Vehicle;

namespace Remarketing.Inspection;

/// <summary>Between the contracts' messages and the domain: the one place the Inspection service converts, its hand-offs included.</summary>
public static class ProtoViews
{
    public static OrderSchedule ToDomain(ScheduleInspectionRequest request) => new(
        request.RequestId, request.CaseId, request.AccountId, ToDomain(request.Vehicle ?? throw DomainException.InvalidArgument("vehicle is required")),
        request.GroundingDealerId, request.DealerState, request.OdometerMiles, request.EarlyTermination, request.ResidualValueCents, request.Reason);

    public static ReportSubmission ToDomain(SubmitConditionReportRequest request) => new(request.RequestId, request.OrderId, new Observations(
        request.OdometerMiles,
        request.DamageObservations.Select(damage => new DamageSeen(damage.Panel, ToDomain(damage.Kind), damage.SizeTenthsInch, ToDomain(damage.Severity))).ToList(),
        request.Tires.Select(tire => new TireSeen(tire.Position, tire.Tread32Nds)).ToList(),
        request.Glass.Select(glass => new GlassSeen(glass.Location, ToDomain(glass.Condition), glass.SizeTenthsInch)).ToList(),
        request.MissingEquipment.Select(item => new MissingItem(item.Item, item.Count)).ToList(),
        request.FrameDamage, request.FloodDamage, request.TitleProblem));

    public static OrderState? ToDomain(InspectionOrderState state) => state switch
    {
        InspectionOrderState.Unspecified => null,
        InspectionOrderState.Open => OrderState.Open,
        InspectionOrderState.Accepted => OrderState.Accepted,
        InspectionOrderState.Reported => OrderState.Reported,
        InspectionOrderState.RemarketingCenter => OrderState.RemarketingCenter,
        _ => throw DomainException.InvalidArgument($"state {state} is not an inspection order state"),
    };

    public static InspectionOrder ToProto(InspectionOrderRecord order, DateTimeOffset now) => new()
    {
        OrderId = order.OrderId,
        CaseId = order.CaseId,
        Vehicle = ToProto(order.Vehicle),
        GroundingDealerId = order.GroundingDealerId,
        DealerState = order.DealerState,
        OdometerMiles = order.OdometerMiles,
        State = order.State switch
        {
            OrderState.Open => InspectionOrderState.Open,
            OrderState.Accepted => InspectionOrderState.Accepted,
            OrderState.Reported => InspectionOrderState.Reported,
            _ => InspectionOrderState.RemarketingCenter,
        },
        OrderedAt = Timestamp.FromDateTimeOffset(order.OrderedAt),
        DueBy = Timestamp.FromDateTimeOffset(order.DueBy),
        InspectorId = order.InspectorId ?? "",
        ConditionReportId = order.ConditionReportId ?? "",
        Overdue = order.IsOverdue(now),
        InspectionCompany = order.InspectionCompany,
        RemarketingCenterReason = order.RemarketingCenterReason,
        Reason = order.Reason,
        EarlyTermination = order.EarlyTermination,
        ResidualValueCents = order.ResidualValueCents,
    };

    public static ListInspectionOrdersResponse ToListResponse((IReadOnlyList<InspectionOrderRecord> Orders, string NextPageToken) page, DateTimeOffset now) =>
        new() { Orders = { page.Orders.Select(order => ToProto(order, now)) }, Page = new() { NextPageToken = page.NextPageToken } };

    public static ListPendingResponse ToPendingResponse((IReadOnlyList<PendingOrder> Orders, string NextPageToken) page, DateTimeOffset now) =>
        new() { Orders = { page.Orders.Select(pending => ToProto(pending, now)) }, Page = new() { NextPageToken = page.NextPageToken } };

    private static InspectionOrder ToProto(PendingOrder pending, DateTimeOffset now)
    {
        var order = ToProto(pending.Order, now);
        order.Disputed = pending.Dispute?.Reason ?? "";
        order.DisputedHandOffEntryId = pending.Dispute?.HandOffEntryId ?? "";
        return order;
    }

    public static ConditionReport ToProto(ConditionReportRecord report) => new()
    {
        ConditionReportId = report.ReportId,
        OrderId = report.OrderId,
        CaseId = report.CaseId,
        Vehicle = ToProto(report.Vehicle),
        OdometerMiles = report.OdometerMiles,
        ConditionGradeTenths = report.GradeTenths,
        Damage = { report.Chargeable.Select(finding => new DamageItem { Location = finding.Observation, Description = finding.Rule, ExcessWearChargeCents = finding.ChargeCents }) },
        ExcessWearTotalCents = report.ExcessWearTotalCents,
        AuctionEligible = report.Eligible,
        IneligibilityReason = string.Join("; ", report.EligibilityReasons.Where(reason => reason.StartsWith("not eligible", StringComparison.Ordinal))),
        InspectorId = report.InspectorId,
        InspectedAt = Timestamp.FromDateTimeOffset(report.InspectedAt),
        Findings =
        {
            report.Findings.Select(finding => new Finding
            {
                Observation = finding.Observation,
                Chargeable = finding.Chargeable,
                ChargeCents = finding.ChargeCents,
                Rule = finding.Rule,
                GradeDeductionTenths = finding.GradeDeductionTenths,
            }),
        },
        EligibilityReasons = { report.EligibilityReasons },
        FloorPriceCents = report.Price.FloorCents,
        BuyNowPriceCents = report.Price.BuyNowCents,
        PricingExplanation = report.Price.Explanation,
    };

    /// <summary>The path of the result's hand-off to Quote.</summary>
    public static readonly string ResultOperation = $"/{QuoteService.Descriptor.FullName}/{nameof(QuoteService.QuoteServiceClient.RecordInspectionResult)}";

    private const string ResultPrefix = "inspection/order/";
    private const string ResultSuffix = "/result";

    /// <summary>The order a result hand-off's id names, or null if the id is not one.</summary>
    public static string? OrderOfResult(string handOffId) =>
        handOffId.StartsWith(ResultPrefix, StringComparison.Ordinal) && handOffId.EndsWith(ResultSuffix, StringComparison.Ordinal)
            ? handOffId[ResultPrefix.Length..^ResultSuffix.Length] : null;

    /// <summary>A hand-off as the receiver's operation takes it; its request id names the order and the step, so each is done once.</summary>
    public static HandOff ToHandOff(InspectionHandOff handOff) => handOff switch
    {
        InspectionHandOff.JourneyStepReached step => HandOff.To(QuoteService.Descriptor.FindMethodByName(nameof(QuoteService.QuoteServiceClient.RecordCaseEvent)), new RecordCaseEventRequest
        {
            RequestId = $"inspection/order/{step.Order.OrderId}/{step.Kind}",
            CaseId = step.Order.CaseId,
            Step = step.Kind switch
            {
                JourneyStep.InspectionScheduled => CaseStep.InspectionScheduled,
                JourneyStep.QueuedForRemarketingCenter => CaseStep.QueuedForRemarketingCenter,
                _ => CaseStep.InspectionAccepted,
            },
            At = Timestamp.FromDateTimeOffset(step.At),
            Reference = step.Order.OrderId,
            Detail = step.Detail,
            DueBy = step.Kind == JourneyStep.QueuedForRemarketingCenter ? null : Timestamp.FromDateTimeOffset(step.Order.DueBy),
        }),
        InspectionHandOff.ResultToQuote result => HandOff.To(QuoteService.Descriptor.FindMethodByName(nameof(QuoteService.QuoteServiceClient.RecordInspectionResult)), new RecordInspectionResultRequest
        {
            RequestId = $"{ResultPrefix}{result.Order.OrderId}{ResultSuffix}",
            CaseId = result.Order.CaseId,
            ConditionReportId = result.Report.ReportId,
            OdometerMiles = result.Report.OdometerMiles,
            ExcessWear = { result.Report.Chargeable.Select(finding => new ExcessWearItem { Description = finding.Observation, ChargeCents = finding.ChargeCents }) },
            InspectedAt = Timestamp.FromDateTimeOffset(result.Report.InspectedAt),
        }) with { Then = [ToHandOff(result.Disposal) with { Journey = result.Disposal.Order.Journey }] },
        InspectionHandOff.ListingToAuction listing => HandOff.To(AuctionService.Descriptor.FindMethodByName(nameof(AuctionService.AuctionServiceClient.CreateListing)), new CreateListingRequest
        {
            RequestId = $"inspection/order/{listing.Order.OrderId}/listing",
            Vin = listing.Order.Vehicle.Vin,
            GroundingDealerId = listing.Order.GroundingDealerId,
            FloorPriceCents = listing.Report.Price.FloorCents,
            BuyNowPriceCents = listing.Report.Price.BuyNowCents,
            OpeningPriceCents = listing.Report.Price.OpeningCents,
            Duration = Duration.FromTimeSpan(listing.Window),
            Vehicle = ToProto(listing.Order.Vehicle),
            OdometerMiles = listing.Report.OdometerMiles,
            ConditionGradeTenths = listing.Report.GradeTenths,
            CaseId = listing.Order.CaseId,
            ConditionReportId = listing.Report.ReportId,
        }),
        InspectionHandOff.PickupToTransport pickup => HandOff.To(TransportService.Descriptor.FindMethodByName(nameof(TransportService.TransportServiceClient.CreatePickup)), new CreatePickupRequest
        {
            RequestId = $"inspection/order/{pickup.Order.OrderId}/pickup",
            Kind = PickupKind.Transporter,
            CaseId = pickup.Order.CaseId,
            Vehicle = ToProto(pickup.Order.Vehicle),
            GroundingDealerId = pickup.Order.GroundingDealerId,
            Destination = pickup.Destination,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(handOff), handOff, "a hand-off Inspection does not know"),
    };

    private static InspectedVehicle ToDomain(CommonVehicle vehicle) => new(vehicle.Vin.Trim().ToUpperInvariant(), vehicle.ModelYear, vehicle.Make, vehicle.Model, vehicle.Trim);

    private static CommonVehicle ToProto(InspectedVehicle vehicle) =>
        new() { Vin = vehicle.Vin, ModelYear = vehicle.ModelYear, Make = vehicle.Make, Model = vehicle.Model, Trim = vehicle.Trim };

    private static DamageType ToDomain(DamageKind kind) => kind switch
    {
        DamageKind.Dent => DamageType.Dent,
        DamageKind.Scratch => DamageType.Scratch,
        DamageKind.Chip => DamageType.Chip,
        DamageKind.Crack => DamageType.Crack,
        DamageKind.Rust => DamageType.Rust,
        DamageKind.Burn => DamageType.Burn,
        DamageKind.Stain => DamageType.Stain,
        DamageKind.Tear => DamageType.Tear,
        _ => throw DomainException.InvalidArgument($"damage kind {kind} is not one the wear standard knows: DENT, SCRATCH, CHIP, CRACK, RUST, BURN, STAIN or TEAR"),
    };

    private static DamageSeverity ToDomain(Severity severity) => severity switch
    {
        Severity.Minor => DamageSeverity.Minor,
        Severity.Moderate => DamageSeverity.Moderate,
        Severity.Severe => DamageSeverity.Severe,
        _ => throw DomainException.InvalidArgument("every damage observation needs a severity: MINOR, MODERATE or SEVERE"),
    };

    private static GlassDamage ToDomain(GlassCondition condition) => condition switch
    {
        GlassCondition.Chip => GlassDamage.Chip,
        GlassCondition.Crack => GlassDamage.Crack,
        _ => throw DomainException.InvalidArgument("every glass observation needs a condition: CHIP or CRACK"),
    };
}
