using Google.Protobuf;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Quote.Domain;
using CommonLineItem = Remarketing.Contracts.Common.V1.LineItem;

namespace Remarketing.Quote;

/// <summary>The answers as the contract returns them (the other half of <see cref="ProtoViews"/>).</summary>
public static partial class ProtoViews
{
    public static LeaseAccount ToProto(AccountAnswer answer)
    {
        var account = ToProto(answer.Account, answer.ReturnKitDueAt);
        account.DealerView = answer.ForDealer;
        return account;
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
        // The id is the figures', whoever asked: a dealer's quote cites the same one as the lender's.
        quote.QuoteId = "Q-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(quote.ToByteArray()))[..16];
        quote.LineItems.Clear();
        quote.LineItems.Add(ToProto(answer.Shown));
        return quote;
    }

    public static EarlyTerminationOptions ToProto(OptionsAnswer answer)
    {
        var response = new EarlyTerminationOptions { AccountId = answer.AccountId, AsOf = ToProto(answer.AsOf) };
        foreach (var (kind, figures) in answer.Options)
        {
            var option = new EarlyTerminationOption { Kind = ToProto(kind), TotalCents = figures.TotalCents, Estimated = figures.Estimated };
            option.LineItems.Add(ToProto(figures.Lines));
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

    public static LeaseExtension ToProto(string accountId, ExtensionRecord extension) => new()
    {
        AccountId = accountId,
        Days = extension.Days,
        FeeCents = extension.FeeCents,
        NewMaturityDate = ToProto(extension.NewMaturityDate),
        GrantedAt = ToProto(extension.GrantedAt),
    };

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
}
