using Remarketing.ServiceDefaults.Domain;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.HandOffs;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

/// <summary>What a caller asks to list.</summary>
public sealed record NewListing(
    string RequestId,
    string Vin,
    string GroundingDealerId,
    long FloorPriceCents,
    long BuyNowPriceCents,
    TimeSpan? Window,
    int ModelYear,
    string Make,
    string Model,
    string Trim,
    long OdometerMiles,
    int ConditionGradeTenths,
    long OpeningPriceCents,
    string CaseId,
    string ConditionReportId)
{
    /// <summary>
    /// The listing's window (<paramref name="defaultWindow"/> if none is asked) and opening price
    /// (the first increment if none is asked); InvalidArgument, naming the field, for anything a
    /// listing cannot be opened with.
    /// </summary>
    public (TimeSpan Window, long OpeningPrice) Check(TimeSpan defaultWindow, IncrementTable increments)
    {
        Ids.Required(RequestId, "request_id");
        if (Remarketing.ServiceDefaults.Domain.Vin.Problem(Vin) is { } vinProblem)
            throw DomainException.InvalidArgument(vinProblem);
        if (string.IsNullOrWhiteSpace(GroundingDealerId))
            throw DomainException.InvalidArgument("grounding_dealer_id is required: the dealer holding the vehicle");
        ListingAmounts.Require(FloorPriceCents, "floor_price_cents", allowZero: true);
        ListingAmounts.Require(BuyNowPriceCents, "buy_now_price_cents", allowZero: true);
        ListingAmounts.Require(OpeningPriceCents, "opening_price_cents", allowZero: true);
        if (OdometerMiles < 0)
            throw DomainException.InvalidArgument("odometer_miles cannot be negative");
        if (ConditionGradeTenths is < 0 or > 50)
            throw DomainException.InvalidArgument("condition_grade_tenths is 0-50 (a grade of 0.0-5.0 in tenths)");

        var window = Window ?? defaultWindow;
        if (window <= TimeSpan.Zero)
            throw DomainException.InvalidArgument("duration must be more than zero");
        if (window > AuctionOptions.MaximumWindow)
            throw DomainException.InvalidArgument($"duration {window} is longer than the 6 days a listing may be open");

        var openingPrice = OpeningPriceCents > 0 ? OpeningPriceCents : increments.StepAt(0);
        if (BuyNowPriceCents > 0 && (BuyNowPriceCents < FloorPriceCents || BuyNowPriceCents < openingPrice))
            throw DomainException.InvalidArgument("buy_now_price_cents must be at least the floor and the opening price (or 0 for none)");
        return (window, openingPrice);
    }

    /// <summary>
    /// The create script's arguments (ARGV): the request's fingerprint, then every field of the new
    /// listing's state and its value, as the script writes them.
    /// </summary>
    public RedisValue[] CreateScriptArguments(string listingId, string fingerprint, DateTimeOffset opensAt, DateTimeOffset endsAt, long openingPrice)
    {
        var fields = new (string Name, RedisValue Value)[]
        {
            (Field.ListingId, listingId), (Field.Vin, Vin), (Field.ModelYear, ModelYear), (Field.Make, Make),
            (Field.Model, Model), (Field.Trim, Trim), (Field.OdometerMiles, OdometerMiles),
            (Field.ConditionGradeTenths, ConditionGradeTenths), (Field.GroundingDealer, GroundingDealerId), (Field.CaseId, CaseId),
            (Field.ConditionReportId, ConditionReportId), (Field.Status, Status.Live), (Field.OpensAt, opensAt.ToUnixTimeMilliseconds()),
            (Field.EndsAt, endsAt.ToUnixTimeMilliseconds()), (Field.OpeningPrice, openingPrice), (Field.FloorPrice, FloorPriceCents),
            (Field.BuyNowPrice, BuyNowPriceCents), (Field.Price, 0), (Field.Leader, ""), (Field.LeaderMaximum, 0), (Field.LeaderAlias, 0),
            (Field.BidCount, 0), (Field.Sequence, 0), (Field.AliasCount, 0), (Field.Journey, Journey.Current),
        };
        var arguments = new RedisValue[1 + fields.Length * 2];
        arguments[0] = fingerprint;
        for (var i = 0; i < fields.Length; i++)
        {
            arguments[1 + (i * 2)] = fields[i].Name;
            arguments[2 + (i * 2)] = fields[i].Value;
        }
        return arguments;
    }
}
