using Microsoft.Extensions.Options;
using Remarketing.Quote.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Quote;

/// <summary>
/// The figures Quote gives without changing anything: quotes, the Vehicle Return Option
/// Calculator and retail financing eligibility, each from <see cref="LeaseEndQuotes"/> on the
/// shared clock's today, and shown to a grounding dealer as <see cref="QuoteAccess"/> allows.
/// </summary>
public sealed class QuoteDesk(QuoteStore store, TimeProvider clock, IOptions<QuoteOptions> options)
{
    private QuoteOptions Options => options.Value;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<QuoteAnswer> GetQuoteAsync(Caller caller, QuoteAsk ask)
    {
        if (ask.Kind == QuoteType.LesseeBuyout && QuoteAccess.IsDealer(caller))
            throw DomainException.PermissionDenied("a lessee buyout quote is between the lender and the lessee: ask for a Dealer Purchase for Lessee quote instead");
        var account = await QuoteAccess.ReachAsync(store, caller, ask.AccountId, ask.Vin);
        if (account.WhyClosed() is { } closed)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} {closed}: there is nothing left to quote");
        // Once the vehicle is back, its figures stand as of the return date unless asked otherwise.
        var asOf = AsOf(account, ask.AsOf, account.LatestCase is { IsOpen: true } open ? open.ReturnDate : null);
        var figures = ask.Kind switch
        {
            QuoteType.DealerPurchaseForLessee => LeaseEndQuotes.DealerPurchase(account, asOf, Disposition.DealerPurchaseForLessee),
            QuoteType.DealerPurchaseForInventory => LeaseEndQuotes.DealerPurchase(account, asOf, Disposition.DealerPurchaseForInventory),
            QuoteType.LesseeReturn => LeaseEndQuotes.LesseeReturn(account, asOf, QuotedOdometer(account, ask.OdometerMiles)),
            QuoteType.LesseeBuyout => LeaseEndQuotes.LesseeBuyout(account, asOf, ask.ApplySecurityDeposit),
            _ => throw DomainException.InvalidArgument("kind is required: DEALER_PURCHASE_FOR_LESSEE, DEALER_PURCHASE_FOR_INVENTORY, LESSEE_RETURN or LESSEE_BUYOUT"),
        };
        var termination = account.Terms.IsEarlyTermination(asOf) ? Termination.Early : Termination.NormalMaturity;
        return new QuoteAnswer(account.Terms.AccountId, ask.Kind.Value, termination, figures, ValidUntil(account, asOf), asOf,
            QuoteAccess.LinesSeenBy(caller, ask.Kind.Value, termination, figures.Lines));
    }

    public async Task<OptionsAnswer> CompareEarlyTerminationOptionsAsync(Caller caller, OptionsAsk ask)
    {
        var account = await QuoteAccess.ReachAsync(store, caller, ask.AccountId, ask.Vin);
        if (account.State != AccountStatus.Active)
            throw DomainException.FailedPrecondition($"lease account {account.Terms.AccountId} is {account.State}: its options are no longer open");
        var asOf = AsOf(account, ask.AsOf, defaultDate: null);
        if (!account.Terms.IsEarlyTermination(asOf))
        {
            throw DomainException.FailedPrecondition(
                $"on {asOf:yyyy-MM-dd} the lease is at or past its maturity date ({account.Terms.MaturityDate:yyyy-MM-dd}): that is not an early termination; ask for quotes instead");
        }
        RequiredOdometer(ask.OdometerMiles, account.Terms, "to compare the early termination options");

        var options = LeaseEndQuotes.EarlyTerminationOptions(account, asOf, ask.OdometerMiles, account.ExtensionDaysAvailable(Options))
            .Where(option => !QuoteAccess.IsDealer(caller) || QuoteAccess.DealerSees(option.Kind))
            // Returning now is the Lessee Return quote as of the date (the calculator's dates are before maturity).
            .Select(option => new OptionFigures(option.Kind, option.Figures with
            {
                Lines = option.Kind == LeaseEndOption.ReturnNow ? QuoteAccess.LinesSeenBy(caller, QuoteType.LesseeReturn, Termination.Early, option.Figures.Lines) : option.Figures.Lines,
            }))
            .ToList();
        return new OptionsAnswer(account.Terms.AccountId, asOf, options);
    }

    public RetailFinancingAnswer CheckRetailFinancing(RetailFinancingAsk ask)
    {
        var inception = ask.Inception ?? Today;
        if (ask.ModelYear < 1900 || ask.ModelYear > inception.Year + 1)
            throw DomainException.InvalidArgument($"model_year {ask.ModelYear} cannot be a vehicle's model year at an inception in {inception.Year}");
        OdometerReading.Check(ask.OdometerMiles);
        return new RetailFinancingAnswer(
            RetailFinancing.Failures(ask.ModelYear, ask.OdometerMiles, inception, Options.RetailFinancingMaxModelYears, Options.RetailFinancingMaxOdometerMiles));
    }

    /// <summary>
    /// A quote holds for the validity period from the day it is issued (today on the clock),
    /// whatever date it is figured as of; while the lease runs, no longer than until the next
    /// payment after today and after its date falls due (which changes the payoff). So it never
    /// ends before it is issued.
    /// </summary>
    private DateTimeOffset ValidUntil(LeaseAccountRecord account, DateOnly asOf)
    {
        var terms = account.Terms;
        var today = Today;
        var end = today.AddDays(Options.QuoteValidityDays);
        var figuredFrom = asOf > today ? asOf : today;
        if (account.State == AccountStatus.Active && terms.PaymentDueDate(terms.PaymentsDueBy(figuredFrom)) is { } nextPayment && nextPayment < end)
            end = nextPayment;
        return new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    /// <summary>
    /// The date figures are made as of: not before the lease started, and a future date no later
    /// than <see cref="QuoteOptions.MaxDaysPastScheduledEnd"/> after the scheduled end (past it this
    /// system has no rule to figure by).
    /// </summary>
    private DateOnly AsOf(LeaseAccountRecord account, DateOnly? requested, DateOnly? defaultDate)
    {
        var terms = account.Terms;
        var asOf = requested ?? defaultDate ?? Today;
        if (asOf < terms.StartDate)
            throw DomainException.InvalidArgument($"as_of {asOf:yyyy-MM-dd} is before the lease started ({terms.StartDate:yyyy-MM-dd})");
        var latest = account.ScheduledEndDate.AddDays(Options.MaxDaysPastScheduledEnd);
        if (asOf > Today && asOf > latest)
        {
            throw DomainException.InvalidArgument(
                $"as_of {asOf:yyyy-MM-dd} is too far ahead: figures are made up to {Options.MaxDaysPastScheduledEnd} days after the scheduled end " +
                $"({account.ScheduledEndDate:yyyy-MM-dd}), so as of {latest:yyyy-MM-dd} at the latest");
        }
        return asOf;
    }

    /// <summary>The odometer a Lessee Return is quoted with: the request's, else the open return's statement.</summary>
    private static long QuotedOdometer(LeaseAccountRecord account, long requested) =>
        requested == 0 && account.LatestCase is { IsOpen: true } open
            ? open.OdometerMiles
            : RequiredOdometer(requested, account.Terms, "to quote a Lessee Return before the return is notified");

    /// <summary>
    /// The vehicle's current odometer, which mileage figures need: unset (0) is refused the same way
    /// by every operation that figures mileage without a return's statement.
    /// </summary>
    private static long RequiredOdometer(long odometerMiles, LeaseTerms lease, string why)
    {
        if (odometerMiles == 0)
            throw DomainException.InvalidArgument($"odometer_miles is required {why}: the vehicle's current odometer reading");
        OdometerReading.Check(odometerMiles, lease);
        return odometerMiles;
    }
}
