using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using CommonDate = Remarketing.Contracts.Common.V1.Date;
using CommonVehicle = Remarketing.Contracts.Common.V1.Vehicle;
using LeaseTerms = Remarketing.Quote.Domain.LeaseTerms;

namespace Remarketing.Quote;

/// <summary>Between the contract's messages and the domain: the one place the Quote service converts.</summary>
public static partial class ProtoViews
{
    /// <summary>The hand-off of a case to Inspection; its request id names the case, so the case is ordered inspected once.</summary>
    public static ScheduleInspectionRequest ToInspection(RemarketingHandOff handOff) => new()
    {
        RequestId = $"quote/case/{handOff.CaseId}/remarketing",
        CaseId = handOff.CaseId,
        AccountId = handOff.AccountId,
        Vehicle = ToVehicle(handOff.Vehicle),
        GroundingDealerId = handOff.GroundingDealerId,
        DealerState = handOff.DealerState,
        OdometerMiles = handOff.OdometerMiles,
        EarlyTermination = handOff.Termination == Termination.Early,
        Reason = handOff.Reason,
        ResidualValueCents = handOff.Vehicle.PurchaseOptionPriceCents,
    };

    public static NewAccount ToDomain(CreateLeaseAccountRequest request) =>
        new(request.RequestId, ToDomain(request.Terms ?? throw DomainException.InvalidArgument("terms are required")));

    public static ReturnNotice ToDomain(NotifyReturnRequest request) => new(
        request.RequestId, request.AccountId, request.Vin, ToDateOnly(request.ReturnDate, "return_date"), request.OdometerMiles,
        request.OdometerSignedByLessee, ToDomain(request.ReturnedItems), request.DealerState, ToDomain(request.Disposition));

    public static OdometerUpdate ToDomain(RecordOdometerRequest request) => new(request.RequestId, request.CaseId, request.OdometerMiles, request.SignedByLessee);

    public static QuoteAsk ToDomain(GetQuoteRequest request) => new(
        request.AccountId, request.Vin, ToDomain(request.Kind), ToDateOnly(request.AsOf, "as_of"), request.ApplySecurityDeposit, request.OdometerMiles);

    public static OptionsAsk ToDomain(CompareEarlyTerminationOptionsRequest request) =>
        new(request.AccountId, request.Vin, ToDateOnly(request.AsOf, "as_of"), request.OdometerMiles);

    public static PurchaseCompletion ToDomain(CompleteDealerPurchaseRequest request) =>
        new(request.RequestId, request.CaseId, request.ProofOfResaleId, request.ApplySecurityDeposit);

    public static ExtensionAsk ToDomain(ExtendLeaseRequest request) => new(request.RequestId, request.AccountId, request.Days);

    public static BuyoutCompletion ToDomain(CompleteLesseeBuyoutRequest request) =>
        new(request.RequestId, request.AccountId, ToDateOnly(request.PurchaseDate, "purchase_date"), request.ApplySecurityDeposit, request.PaymentReceivedCents);

    public static TotalLossReport ToDomain(RecordTotalLossRequest request) =>
        new(request.RequestId, request.AccountId, ToDateOnly(request.LossDate, "loss_date"), request.InsuranceClaimId, request.InsurerPaymentCents);

    public static InspectionReport ToDomain(RecordInspectionResultRequest request) => new(
        request.RequestId, request.CaseId, request.ConditionReportId, request.OdometerMiles,
        [.. request.ExcessWear.Select(item => new WearItem(item.Description, item.ChargeCents))], request.InspectedAt?.ToDateTimeOffset());

    public static AuctionReport ToDomain(RecordAuctionResultRequest request) =>
        new(request.RequestId, request.CaseId, request.ListingId, request.Sold, request.SalePriceCents, request.ClosedAt?.ToDateTimeOffset());

    public static RetailFinancingAsk ToDomain(CheckRetailFinancingRequest request) =>
        new(request.ModelYear, request.OdometerMiles, ToDateOnly(request.Inception, "inception"));

    public static QuoteType? ToDomain(QuoteKind kind) => kind switch
    {
        QuoteKind.DealerPurchaseForLessee => QuoteType.DealerPurchaseForLessee,
        QuoteKind.DealerPurchaseForInventory => QuoteType.DealerPurchaseForInventory,
        QuoteKind.LesseeReturn => QuoteType.LesseeReturn,
        QuoteKind.LesseeBuyout => QuoteType.LesseeBuyout,
        _ => null,
    };

    public static QuoteKind ToProto(QuoteType kind) => kind switch
    {
        QuoteType.DealerPurchaseForLessee => QuoteKind.DealerPurchaseForLessee,
        QuoteType.DealerPurchaseForInventory => QuoteKind.DealerPurchaseForInventory,
        QuoteType.LesseeReturn => QuoteKind.LesseeReturn,
        _ => QuoteKind.LesseeBuyout,
    };
    /// <summary>The domain's disposition, or null when the request names none.</summary>
    public static Disposition? ToDomain(ReturnDisposition disposition) => disposition switch
    {
        ReturnDisposition.LesseeReturn => Disposition.LesseeReturn,
        ReturnDisposition.DealerPurchaseForLessee => Disposition.DealerPurchaseForLessee,
        ReturnDisposition.DealerPurchaseForInventory => Disposition.DealerPurchaseForInventory,
        _ => null,
    };

    public static ReturnDisposition ToProto(Disposition disposition) => disposition switch
    {
        Disposition.LesseeReturn => ReturnDisposition.LesseeReturn,
        Disposition.DealerPurchaseForLessee => ReturnDisposition.DealerPurchaseForLessee,
        _ => ReturnDisposition.DealerPurchaseForInventory,
    };

    public static ReturnCaseState ToProto(CaseState state) => state switch
    {
        CaseState.HeldForDealerPurchase => ReturnCaseState.HeldForDealerPurchase,
        CaseState.Purchased => ReturnCaseState.Purchased,
        CaseState.InRemarketing => ReturnCaseState.InRemarketing,
        CaseState.Inspected => ReturnCaseState.Inspected,
        CaseState.Sold => ReturnCaseState.Sold,
        CaseState.Unsold => ReturnCaseState.Unsold,
        _ => ReturnCaseState.Settled,
    };

    public static AccountState ToProto(AccountStatus status) => status switch
    {
        AccountStatus.Active => AccountState.Active,
        AccountStatus.InTermination => AccountState.InTermination,
        _ => AccountState.Closed,
    };

    public static TerminationType ToProto(Termination termination) =>
        termination == Termination.Early ? TerminationType.Early : TerminationType.NormalMaturity;

    public static LetterKind ToProto(LetterType letter) => letter switch
    {
        LetterType.ReturnKit => LetterKind.ReturnKit,
        LetterType.EarlyTerminationPreSale => LetterKind.EarlyTerminationPreSale,
        LetterType.OdometerStatement => LetterKind.OdometerStatement,
        _ => LetterKind.Settlement,
    };

    public static EarlyTerminationOptionKind ToProto(LeaseEndOption option) => option switch
    {
        LeaseEndOption.ReturnNow => EarlyTerminationOptionKind.ReturnNow,
        LeaseEndOption.BuyNow => EarlyTerminationOptionKind.BuyNow,
        LeaseEndOption.KeepToMaturity => EarlyTerminationOptionKind.KeepToMaturity,
        _ => EarlyTerminationOptionKind.Extend,
    };

    public static DateOnly? ToDateOnly(CommonDate? date, string field)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0))
            return null;
        if (date.Year is < 1900 or > 2200 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
            throw DomainException.InvalidArgument($"{field} {date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a calendar date");
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static CommonDate ToProto(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static CaseEventReport ToDomain(RecordCaseEventRequest request) => new(
        request.RequestId, request.CaseId, request.Step == CaseStep.Unspecified ? null : ToDomain(request.Step),
        request.At?.ToDateTimeOffset(), request.Reference, request.Detail, request.DueBy?.ToDateTimeOffset());

    public static CaseEvent ToProto(CaseEventRecord recorded) => new()
    {
        Step = ToProto(recorded.Step),
        At = ToProto(recorded.At),
        Reference = recorded.Reference,
        Detail = recorded.Detail,
        Source = recorded.Source,
        DueBy = recorded.DueBy is { } due ? ToProto(due) : null,
    };

    public static CaseStatus ToProto(CaseStatusAnswer status) => new()
    {
        CaseId = status.CaseId,
        AccountId = status.AccountId,
        Vin = status.Vin,
        State = ToProto(status.State),
        Events = { status.Events.Select(ToProto) },
        WaitingFor = status.WaitingFor,
        WaitingDueBy = status.WaitingDueBy is { } due ? ToProto(due) : null,
        Ended = status.Ended,
    };

    // The contract's steps and the domain's are the same list in the same order.
    private static JourneyStep ToDomain(CaseStep step) =>
        step is > CaseStep.Unspecified and <= CaseStep.Settled ? (JourneyStep)((int)step - 1)
        : throw DomainException.InvalidArgument($"step {step} is not a step of a return case");

    private static CaseStep ToProto(JourneyStep step) => (CaseStep)((int)step + 1);

    public static Timestamp ToProto(DateTimeOffset instant) => Timestamp.FromDateTimeOffset(instant);

    public static LeaseTerms ToDomain(Contracts.Quote.V1.LeaseTerms terms)
    {
        var vehicle = terms.Vehicle ?? new CommonVehicle();
        return new LeaseTerms(
            AccountId: terms.AccountId.Trim(),
            Vin: vehicle.Vin.Trim().ToUpperInvariant(),
            ModelYear: vehicle.ModelYear,
            Make: vehicle.Make.Trim(),
            Model: vehicle.Model.Trim(),
            Trim: vehicle.Trim.Trim(),
            LesseeState: terms.LesseeState.Trim().ToUpperInvariant(),
            StartDate: ToDateOnly(terms.StartDate, "start_date") ?? throw DomainException.InvalidArgument("start_date is required"),
            MaturityDate: ToDateOnly(terms.MaturityDate, "maturity_date") ?? throw DomainException.InvalidArgument("maturity_date is required"),
            TermMonths: terms.TermMonths,
            MonthlyPaymentCents: terms.MonthlyPaymentCents,
            AdjustedCapitalizedCostCents: terms.AdjustedCapitalizedCostCents,
            AllowedMilesPerYear: terms.AllowedMilesPerYear,
            PurchasedAdditionalMiles: terms.PurchasedAdditionalMiles,
            PurchasedMilePriceCents: terms.PurchasedMilePriceCents,
            ExcessMileageRateCentsPerMile: terms.ExcessMileageRateCentsPerMile,
            StartingOdometerMiles: terms.StartingOdometerMiles,
            PurchaseOptionPriceCents: terms.PurchaseOptionPriceCents,
            PurchaseOptionFeeCents: terms.PurchaseOptionFeeCents,
            DispositionFeeCents: terms.DispositionFeeCents,
            SecurityDepositCents: terms.SecurityDepositCents,
            PastDueCents: terms.PastDueCents,
            SalesTaxRateBasisPoints: terms.SalesTaxRateBasisPoints,
            UnpaidPersonalPropertyTaxCents: terms.UnpaidPersonalPropertyTaxCents,
            ExtensionDailyFeeCents: terms.ExtensionDailyFeeCents);
    }

    public static Contracts.Quote.V1.LeaseTerms ToProto(LeaseTerms terms) => new()
    {
        AccountId = terms.AccountId,
        Vehicle = ToVehicle(terms),
        LesseeState = terms.LesseeState,
        StartDate = ToProto(terms.StartDate),
        MaturityDate = ToProto(terms.MaturityDate),
        TermMonths = terms.TermMonths,
        MonthlyPaymentCents = terms.MonthlyPaymentCents,
        AdjustedCapitalizedCostCents = terms.AdjustedCapitalizedCostCents,
        AllowedMilesPerYear = terms.AllowedMilesPerYear,
        PurchasedAdditionalMiles = terms.PurchasedAdditionalMiles,
        PurchasedMilePriceCents = terms.PurchasedMilePriceCents,
        ExcessMileageRateCentsPerMile = terms.ExcessMileageRateCentsPerMile,
        StartingOdometerMiles = terms.StartingOdometerMiles,
        PurchaseOptionPriceCents = terms.PurchaseOptionPriceCents,
        PurchaseOptionFeeCents = terms.PurchaseOptionFeeCents,
        DispositionFeeCents = terms.DispositionFeeCents,
        SecurityDepositCents = terms.SecurityDepositCents,
        PastDueCents = terms.PastDueCents,
        SalesTaxRateBasisPoints = terms.SalesTaxRateBasisPoints,
        UnpaidPersonalPropertyTaxCents = terms.UnpaidPersonalPropertyTaxCents,
        ExtensionDailyFeeCents = terms.ExtensionDailyFeeCents,
    };

    public static ReturnedItemsRecord ToDomain(ReturnedItems? items) =>
        items is null
            ? new ReturnedItemsRecord(0, 0, false, false, false, [])
            : new ReturnedItemsRecord(items.Keys, items.KeylessRemotes, items.OwnersManual, items.MaintenanceGuide, items.LeaseAgreementCopy,
                items.MissingEquipment.Select(item => item.Trim()).Where(item => item.Length > 0).ToList());

    private static CommonVehicle ToVehicle(LeaseTerms terms) =>
        new() { Vin = terms.Vin, ModelYear = terms.ModelYear, Make = terms.Make, Model = terms.Model, Trim = terms.Trim };
}
