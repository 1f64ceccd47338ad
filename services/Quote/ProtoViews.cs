using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using CommonDate = Remarketing.Contracts.Common.V1.Date;
using CommonLineItem = Remarketing.Contracts.Common.V1.LineItem;
using CommonVehicle = Remarketing.Contracts.Common.V1.Vehicle;
using LeaseTerms = Remarketing.Quote.Domain.LeaseTerms;

namespace Remarketing.Quote;

/// <summary>Between the contract's messages and the domain: the one place the Quote service converts.</summary>
public static class ProtoViews
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

    public static LeaseAccount ToProto(AccountAnswer answer)
    {
        var account = ToProto(answer.Account, answer.ReturnKitDueAt);
        return answer.ForDealer ? ForDealer(account) : account;
    }

    public static ReturnCase ToProto(CaseAnswer answer) => ToProto(answer.AccountId, answer.Case);

    public static LeaseExtension ToProto(ExtensionAnswer answer) => ToProto(answer.AccountId, answer.Extension);

    /// <summary>The quote, with an id from its figures: the same figures always get the same id, so a quote can be cited and checked later.</summary>
    public static Contracts.Quote.V1.Quote ToProto(QuoteAnswer answer)
    {
        var figures = answer.Figures;
        var quote = new Contracts.Quote.V1.Quote
        {
            AccountId = answer.AccountId,
            Kind = ToProto(answer.Kind),
            TerminationType = ToProto(answer.Termination),
            TotalCents = figures.TotalCents,
            ValidUntil = ToProto(answer.ValidUntil),
            Estimated = figures.Estimated,
            EarlyTerminationPayoffCents = figures.EarlyTerminationPayoffCents,
            EarlyTerminationChargeCents = figures.EarlyTerminationChargeCents,
            AsOf = ToProto(answer.AsOf),
        };
        quote.LineItems.Add(ToProto(figures.Lines));
        quote.QuoteId = "Q-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(quote.ToByteArray()))[..16];
        if (answer.ForDealer)
        {
            var forDealer = ForDealer(quote.LineItems);
            quote.LineItems.Clear();
            quote.LineItems.Add(forDealer);
        }
        return quote;
    }

    public static EarlyTerminationOptions ToProto(OptionsAnswer answer)
    {
        var response = new EarlyTerminationOptions { AccountId = answer.AccountId, AsOf = ToProto(answer.AsOf) };
        foreach (var (kind, figures) in answer.Options)
        {
            var option = new EarlyTerminationOption { Kind = ToProto(kind), TotalCents = figures.TotalCents, Estimated = figures.Estimated };
            option.LineItems.Add(answer.ForDealer ? ForDealer(ToProto(figures.Lines)) : ToProto(figures.Lines));
            response.Options.Add(option);
        }
        return response;
    }

    public static Settlement ToProto(SettlementAnswer answer)
    {
        var settlement = new Settlement
        {
            CaseId = answer.CaseId,
            AccountId = answer.AccountId,
            TerminationType = ToProto(answer.Termination),
            BalanceCents = answer.Figures.TotalCents,
            Final = answer.Final,
            EarlyTerminationPayoffCents = answer.Figures.EarlyTerminationPayoffCents,
            EarlyTerminationChargeCents = answer.Figures.EarlyTerminationChargeCents,
        };
        settlement.LineItems.Add(ToProto(answer.Figures.Lines));
        return settlement;
    }

    public static ListLettersResponse ToProto(LettersAnswer answer)
    {
        var response = new ListLettersResponse();
        response.Letters.Add(answer.Letters.Select(letter => ToProto(answer.AccountId, letter)));
        return response;
    }

    public static RetailFinancingEligibility ToProto(RetailFinancingAnswer answer) =>
        new() { Eligible = answer.Failures.Count == 0, Reasons = { answer.Failures } };

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

    public static LeaseAccount ToProto(LeaseAccountRecord account, DateTimeOffset returnKitDueAt)
    {
        var proto = new LeaseAccount
        {
            Terms = ToProto(account.Terms),
            State = ToProto(account.State),
            ReturnKitDueAt = ToProto(returnKitDueAt),
            ReturnCaseId = account.LatestCase?.CaseId ?? "",
            ScheduledEndDate = ToProto(account.ScheduledEndDate),
            ReturnKitSentAt = account.ReturnKitSentAt is { } sent ? ToProto(sent) : null,
            Ending = account.Ending is { } ending ? ToProto(ending) : null,
        };
        proto.Extensions.Add(account.Extensions.Select(extension => ToProto(account.Terms.AccountId, extension)));
        return proto;
    }

    public static FranchisedDealer ToProto(DealerRecord dealer) =>
        new() { DealerId = dealer.DealerId, Makes = { dealer.Makes }, RegisteredAt = ToProto(dealer.RegisteredAt) };

    public static LeaseEnding ToProto(LeaseEndingRecord ending)
    {
        var proto = new LeaseEnding
        {
            Kind = ending.Kind == LeaseEndingType.LesseeBuyout ? Contracts.Quote.V1.LeaseEndingKind.LesseeBuyout : Contracts.Quote.V1.LeaseEndingKind.TotalLoss,
            EffectiveDate = ToProto(ending.EffectiveDate),
            RecordedAt = ToProto(ending.RecordedAt),
            BalanceCents = ending.BalanceCents,
            TitleReleasedAt = ending.TitleReleasedAt is { } released ? ToProto(released) : null,
            InsuranceClaimId = ending.InsuranceClaimId ?? "",
        };
        proto.LineItems.Add(ToProto(ending.Lines));
        return proto;
    }

    /// <summary>The account as a grounding dealer sees it: the vehicle, dates and mileage terms, without the lessee's money figures.</summary>
    public static LeaseAccount ForDealer(LeaseAccount account)
    {
        var view = account.Clone();
        var terms = view.Terms;
        terms.MonthlyPaymentCents = 0;
        terms.AdjustedCapitalizedCostCents = 0;
        terms.PurchaseOptionPriceCents = 0;
        terms.PurchaseOptionFeeCents = 0;
        terms.SecurityDepositCents = 0;
        terms.PastDueCents = 0;
        terms.SalesTaxRateBasisPoints = 0;
        terms.UnpaidPersonalPropertyTaxCents = 0;
        terms.PurchasedMilePriceCents = 0;
        terms.ExtensionDailyFeeCents = 0;
        foreach (var extension in view.Extensions)
            extension.FeeCents = 0;
        view.Ending = null;
        view.DealerView = true;
        return view;
    }

    public static LeaseExtension ToProto(string accountId, ExtensionRecord extension) => new()
    {
        AccountId = accountId,
        Days = extension.Days,
        FeeCents = extension.FeeCents,
        NewMaturityDate = ToProto(extension.NewMaturityDate),
        GrantedAt = ToProto(extension.GrantedAt),
    };

    public static ReturnedItemsRecord ToDomain(ReturnedItems? items) =>
        items is null
            ? new ReturnedItemsRecord(0, 0, false, false, false, [])
            : new ReturnedItemsRecord(items.Keys, items.KeylessRemotes, items.OwnersManual, items.MaintenanceGuide, items.LeaseAgreementCopy,
                items.MissingEquipment.Select(item => item.Trim()).Where(item => item.Length > 0).ToList());

    public static ReturnCase ToProto(string accountId, ReturnCaseRecord returnCase)
    {
        var items = returnCase.ReturnedItems;
        var proto = new ReturnCase
        {
            CaseId = returnCase.CaseId,
            AccountId = accountId,
            GroundingDealerId = returnCase.GroundingDealerId,
            DealerState = returnCase.DealerState,
            ReturnDate = ToProto(returnCase.ReturnDate),
            TerminationType = ToProto(returnCase.Termination),
            Odometer = new OdometerStatement
            {
                OdometerMiles = returnCase.Odometer.Miles,
                SignedByLessee = returnCase.Odometer.SignedByLessee,
                RecordedAt = ToProto(returnCase.Odometer.RecordedAt),
            },
            ReturnedItems = new ReturnedItems
            {
                Keys = items.Keys,
                KeylessRemotes = items.KeylessRemotes,
                OwnersManual = items.OwnersManual,
                MaintenanceGuide = items.MaintenanceGuide,
                LeaseAgreementCopy = items.LeaseAgreementCopy,
                MissingEquipment = { items.MissingEquipment },
            },
            Disposition = ToProto(returnCase.Disposition),
            State = ToProto(returnCase.State),
            HoldUntil = returnCase.HoldUntil is { } holdUntil ? ToProto(holdUntil) : null,
            NotifiedAt = ToProto(returnCase.NotifiedAt),
            ProofOfResaleId = returnCase.ProofOfResaleId ?? "",
            ConditionReportId = returnCase.Inspection?.ConditionReportId ?? "",
            ListingId = returnCase.AuctionResult?.ListingId ?? "",
            SalePriceCents = returnCase.AuctionResult?.SalePriceCents ?? 0,
        };
        proto.ExcessWear.Add((returnCase.Inspection?.ExcessWear ?? []).Select(item => new ExcessWearItem { Description = item.Description, ChargeCents = item.ChargeCents }));
        proto.ReviewFlags.Add(returnCase.ReviewFlags.Select(flag => new Contracts.Quote.V1.ReviewFlag { Code = flag.Code, Description = flag.Description, RaisedAt = ToProto(flag.RaisedAt) }));
        return proto;
    }

    /// <summary>The payoff's parts, which show the lessee's payment and residual: a dealer sees their sum.</summary>
    private static readonly HashSet<string> PayoffParts = ["remaining_payments", "unearned_rent_charges", "residual_value", "rent_charge_accrued"];

    /// <summary>What a line is, without the lessee's unit figures behind it (payment, per-day fee, tax rate, per-mile price).</summary>
    private static readonly Dictionary<string, string> DealerDescriptions = new(StringComparer.Ordinal)
    {
        ["early_termination_payoff"] = "Early-termination payoff",
        ["remaining_payments"] = "Payments to maturity",
        ["purchase_option_price"] = "Purchase option price",
        ["purchase_option_fee"] = "Purchase option fee",
        ["realized_value"] = "Less the vehicle's realized value",
        ["excess_mileage"] = "Excess mileage",
        ["unused_purchased_miles"] = "Refund of unused purchased miles",
        ["sales_tax"] = "Sales tax",
        ["past_due"] = "Past-due amounts",
        ["personal_property_tax"] = "Unpaid personal property tax",
        ["extension_fees"] = "Extension fees",
        ["disposition_fee"] = "Disposition fee",
        ["security_deposit"] = "Security deposit",
        ["excess_wear"] = "Excess wear",
    };

    /// <summary>
    /// Quote lines as a grounding dealer sees them: the same amounts and total, with the payoff's
    /// parts summed into one line and no description naming the lessee's figures.
    /// </summary>
    public static IReadOnlyList<CommonLineItem> ForDealer(IEnumerable<CommonLineItem> lines)
    {
        var all = lines.ToList();
        var payoffParts = all.Where(line => PayoffParts.Contains(line.Code)).ToList();
        var merged = payoffParts.Count > 1
            ? new CommonLineItem { Code = "early_termination_payoff", AmountCents = payoffParts.Sum(line => line.AmountCents), Estimated = payoffParts.Any(line => line.Estimated) }
            : null;
        var view = new List<CommonLineItem>();
        foreach (var line in all)
        {
            if (merged is not null && PayoffParts.Contains(line.Code))
            {
                if (line == payoffParts[0])
                    view.Add(merged);
                continue;
            }
            view.Add(line.Clone());
        }
        foreach (var line in view)
            line.Description = DealerDescriptions.GetValueOrDefault(line.Code, line.Code.Replace('_', ' '));
        return view;
    }

    public static IEnumerable<CommonLineItem> ToProto(IEnumerable<Line> lines) =>
        lines.Select(line => new CommonLineItem { Code = line.Code, Description = line.Description, AmountCents = line.AmountCents, Estimated = line.Estimated });

    public static Letter ToProto(string accountId, LetterRecord letter)
    {
        var proto = new Letter { LetterId = letter.LetterId, AccountId = accountId, Kind = ToProto(letter.Kind), Dated = ToProto(letter.Dated), TotalCents = letter.TotalCents };
        proto.LineItems.Add(ToProto(letter.Lines));
        if (letter.Kit is { } kit)
            proto.ReturnKit = ToProto(kit);
        return proto;
    }

    public static ReturnKitContents ToProto(KitContents kit)
    {
        var proto = new ReturnKitContents
        {
            ScheduledEndDate = ToProto(kit.ScheduledEndDate),
            ChargesToExpect = { kit.ChargesToExpect },
            WhatToBring = { kit.WhatToBring },
            BeforeYouReturn = { kit.BeforeYouReturn },
        };
        proto.Options.Add(kit.Options.Select(option => new ReturnKitOption
        {
            Kind = option.Kind switch
            {
                KitChoiceType.Return => ReturnKitOptionKind.Return,
                KitChoiceType.Buy => ReturnKitOptionKind.Buy,
                _ => ReturnKitOptionKind.Extend,
            },
            Description = option.Description,
            LineItems = { ToProto(option.Lines) },
            TotalCents = option.TotalCents,
        }));
        return proto;
    }

    private static CommonVehicle ToVehicle(LeaseTerms terms) =>
        new() { Vin = terms.Vin, ModelYear = terms.ModelYear, Make = terms.Make, Model = terms.Model, Trim = terms.Trim };
}
