using System.Globalization;
using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Quote.Domain;

/// <summary>The lessee's options the return kit lays out. Stored by member name.</summary>
public enum KitChoiceType
{
    Return,
    Buy,
    Extend,
}

/// <summary>One option in the return kit: what to do, and what it costs as far as the lease tells before the end.</summary>
public sealed record KitChoice(KitChoiceType Kind, string Description, IReadOnlyList<Line> Lines)
{
    public long TotalCents => Lines.Sum(line => line.AmountCents);
}

/// <summary>
/// What the return kit tells the lessee about 120 days before the scheduled end: the options at
/// the end (return, buy, extend) with their figures, the charges a return may bring with this
/// lease's own rates, what to bring to the dealer, and what to do before.
/// </summary>
public sealed record KitContents(
    DateOnly ScheduledEndDate,
    IReadOnlyList<KitChoice> Options,
    IReadOnlyList<string> ChargesToExpect,
    IReadOnlyList<string> WhatToBring,
    IReadOnlyList<string> BeforeYouReturn);

public static class ReturnKit
{
    private static readonly IReadOnlyList<string> WhatToBring =
    [
        "A copy of your lease agreement",
        "The owner's manual",
        "The maintenance guide",
        "Every key and keyless entry remote",
        "All original equipment: DVD player and remote, headphones, third-row seats, and the like",
    ];

    /// <summary>
    /// When the return kit goes out: midnight UTC, <paramref name="daysBeforeEnd"/> days before the
    /// scheduled end, but never before the account was opened (a lease opened that late, or already
    /// ended, gets its kit at once).
    /// </summary>
    public static DateTimeOffset DueAt(LeaseAccountRecord account, int daysBeforeEnd)
    {
        var due = new DateTimeOffset(account.ScheduledEndDate.AddDays(-daysBeforeEnd).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return due > account.CreatedAt ? due : account.CreatedAt;
    }

    /// <summary>The account with its return kit sent at <paramref name="now"/>, dated then.</summary>
    public static LeaseAccountRecord Sent(LeaseAccountRecord account, DateTimeOffset now, QuoteOptions options)
    {
        var kit = new LetterRecord($"{account.Terms.AccountId}-return-kit", LetterType.ReturnKit, now, []) { Kit = Contents(account, options) };
        return account.WithLetter(kit) with { ReturnKitSentAt = now };
    }

    /// <summary>The kit's contents for the lease as it stands: its figures as of the scheduled end.</summary>
    public static KitContents Contents(LeaseAccountRecord account, QuoteOptions options)
    {
        var terms = account.Terms;
        var end = account.ScheduledEndDate;
        var returnLines = new List<Line>();
        if (LeaseEndCalculator.DispositionFee(terms) is { } fee)
            returnLines.Add(fee);
        returnLines.AddRange(LeaseEndCalculator.AmountsDue(account, end));
        if (terms.SecurityDepositCents > 0)
            returnLines.Add(LeaseEndCalculator.SecurityDepositCredit(terms, "(refunded after the vehicle is returned, inspected and sold, less what is owed)"));
        var choices = new List<KitChoice>
        {
            new(KitChoiceType.Return,
                $"Return the vehicle by {Day(end)} to any franchised {terms.Make} dealer; schedule the return with the dealer first. " +
                "An inspector reports its condition, and excess mileage and wear are charged as below, with what you still owe; this is before them.",
                returnLines),
            new(KitChoiceType.Buy,
                $"Buy the vehicle at the end for its purchase option price, with fees, taxes and what you still owe (as of {Day(end)}); " +
                "your security deposit may be applied to the price. Ask your dealer whether you qualify for financing.",
                LeaseEndQuotes.LesseeBuyout(account, end, applyDeposit: false).Lines),
        };
        var days = account.ExtensionDaysAvailable(options);
        if (days > 0)
        {
            choices.Add(new KitChoice(KitChoiceType.Extend,
                $"Extend the lease while you wait for a new vehicle: contact us. Up to {options.MaxDaysPerExtension} days at a time, " +
                $"{options.MaxTotalExtensionDays} days and {options.MaxExtensions} extensions in all, for a daily fee; only the days used are charged.",
                [new Line("extension_fees", $"An extension of {days} days: {days} x {Cents.Format(terms.ExtensionDailyFeeCents)} a day", days * terms.ExtensionDailyFeeCents)]));
        }
        return new KitContents(end, choices, ChargesToExpect(account), WhatToBring,
        [
            "Check the odometer against your allowance: excess miles are charged",
            "Look the vehicle over for wear beyond normal wear, as the inspector will",
            "Ask your state's DMV whether your license plate must be returned",
            "Sign the odometer statement at the dealership when you return the vehicle; you get a copy",
        ]);
    }

    /// <summary>The charges a return may bring, each with this lease's own figure.</summary>
    private static List<string> ChargesToExpect(LeaseAccountRecord account)
    {
        var terms = account.Terms;
        var purchased = terms.PurchasedAdditionalMiles > 0 ? $" plus the {terms.PurchasedAdditionalMiles:N0} mi you bought" : "";
        var charges = new List<string>
        {
            $"Excess mileage: {Cents.Format(terms.ExcessMileageRateCentsPerMile)} a mile over {terms.AllowedMilesForTerm:N0} mi " +
                $"({terms.AllowedMilesPerYear:N0} a year for {terms.TermMonths} months){purchased}",
            "Excess wear: damage beyond normal wear, frame or structural damage included, as the inspector's condition report charges it",
        };
        if (terms.DispositionFeeCents > 0)
            charges.Add($"Disposition fee: {Cents.Format(terms.DispositionFeeCents)}");
        if (terms.PastDueCents > 0)
            charges.Add($"Past-due amounts: {Cents.Format(terms.PastDueCents)} today");
        if (terms.UnpaidPersonalPropertyTaxCents > 0)
            charges.Add($"Unpaid personal property tax: {Cents.Format(terms.UnpaidPersonalPropertyTaxCents)}");
        if (terms.SalesTaxRateBasisPoints > 0)
            charges.Add(string.Create(CultureInfo.InvariantCulture, $"Sales tax at {terms.SalesTaxRateBasisPoints / 100m:0.00##}% on excess mileage and wear"));
        charges.Add($"Daily extension fees for the extension days you use ({Cents.Format(terms.ExtensionDailyFeeCents)} a day)");
        charges.Add($"Returning before {Day(terms.MaturityDate)} ends the lease early: the early-termination charge (the payoff less what the vehicle sells for) applies, " +
            "and purchased miles are not refunded");
        if (terms.PurchasedAdditionalMiles > 0)
        {
            charges.Add($"Refund: purchased miles you did not use ({Cents.Format(terms.PurchasedMilePriceCents)} a mile) are refunded on a return at the scheduled end, " +
                "not on an early return, a purchase or a total loss");
        }
        return charges;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
