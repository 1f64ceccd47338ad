using Grpc.Core;
using Remarketing.Contracts.Common.V1;
using Remarketing.Contracts.Quote.V1;

namespace Remarketing.Testing;

/// <summary>Lease terms as a client sends them (the contract's message), for tests that drive the running system.</summary>
public static class SampleLease
{
    /// <summary>A 36-month Honda lease that started <paramref name="start"/>: $30,000.00 capitalized, $18,000.00 residual, $420.00 a month.</summary>
    public static LeaseTerms Terms(DateOnly start, string? accountId = null) => new()
    {
        AccountId = accountId ?? $"A-{Guid.NewGuid().ToString("N")[..12]}",
        Vehicle = new Vehicle { Vin = TestVins.Next(), ModelYear = 2025, Make = "Honda", Model = "Accord", Trim = "EX-L" },
        LesseeState = "OH",
        StartDate = new Date { Year = start.Year, Month = start.Month, Day = start.Day },
        MaturityDate = ToDate(start.AddMonths(36)),
        TermMonths = 36,
        MonthlyPaymentCents = 420_00,
        AdjustedCapitalizedCostCents = 30_000_00,
        AllowedMilesPerYear = 12_000,
        ExcessMileageRateCentsPerMile = 20,
        PurchaseOptionPriceCents = 18_000_00,
        ExtensionDailyFeeCents = 30_00,
    };

    /// <summary>
    /// Opens the account as the remarketing center, first registering each of <paramref name="dealerIds"/>
    /// as franchised for the vehicle's make (only such a dealer takes its return).
    /// </summary>
    public static async Task OpenAsync(QuoteService.QuoteServiceClient quote, LeaseTerms terms, Metadata center, params string[] dealerIds)
    {
        foreach (var dealerId in dealerIds)
            await FranchiseAsync(quote, center, dealerId, terms.Vehicle.Make);
        await quote.CreateLeaseAccountAsync(new CreateLeaseAccountRequest { RequestId = Guid.NewGuid().ToString("N"), Terms = terms }, center);
    }

    /// <summary>Registers <paramref name="dealerId"/> as franchised for <paramref name="make"/> alone (a repeat is answered as the first).</summary>
    public static async Task FranchiseAsync(QuoteService.QuoteServiceClient quote, Metadata center, string dealerId, string make) =>
        await quote.RegisterDealerAsync(new RegisterDealerRequest { RequestId = $"franchise/{dealerId}/{make}", DealerId = dealerId, Makes = { make } }, center);

    public static Date ToDate(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };
}
