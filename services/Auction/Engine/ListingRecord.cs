using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

/// <summary>
/// A listing as stored, including what only the engine may know (the leader's dealer id). Views
/// for callers are made from it in the service layer, never by handing it out.
/// </summary>
public sealed record ListingRecord(
    string ListingId,
    string Vin,
    int ModelYear,
    string Make,
    string Model,
    string Trim,
    long OdometerMiles,
    int ConditionGradeTenths,
    string GroundingDealerId,
    string CaseId,
    string ConditionReportId,
    ListingStatus Status,
    DateTimeOffset OpensAt,
    DateTimeOffset EndsAt,
    long OpeningPriceCents,
    long FloorPriceCents,
    long BuyNowPriceCents,
    long CurrentPriceCents,
    string LeaderDealerId,
    int LeaderAlias,
    int BidCount,
    long LastSequence,
    DateTimeOffset? ClosedAt,
    long SalePriceCents,
    string BuyerDealerId,
    string ProofOfSaleId,
    string Reason)
{
    /// <summary>The traceparent of the vehicle's journey, kept when the listing was made: its hand-offs are sent in that trace.</summary>
    public string Journey { get; init; } = "";

    public bool HasBids => LeaderDealerId.Length > 0;

    public bool FloorMet => HasBids && CurrentPriceCents >= FloorPriceCents;

    public long MinimumNextBidCents(IncrementTable increments) =>
        HasBids ? CurrentPriceCents + increments.StepAt(CurrentPriceCents) : OpeningPriceCents;

    public static ListingRecord? From(HashEntry[] entries)
    {
        if (entries.Length == 0)
            return null;
        var fields = entries.ToDictionary(entry => entry.Name.ToString(), entry => entry.Value.ToString(), StringComparer.Ordinal);
        string Text(string name) => fields.GetValueOrDefault(name, "");
        long Number(string name) => long.TryParse(Text(name), out var value) ? value : 0;
        DateTimeOffset Instant(string name) => DateTimeOffset.FromUnixTimeMilliseconds(Number(name));

        return new ListingRecord(
            ListingId: Text(Field.ListingId),
            Vin: Text(Field.Vin),
            ModelYear: (int)Number(Field.ModelYear),
            Make: Text(Field.Make),
            Model: Text(Field.Model),
            Trim: Text(Field.Trim),
            OdometerMiles: Number(Field.OdometerMiles),
            ConditionGradeTenths: (int)Number(Field.ConditionGradeTenths),
            GroundingDealerId: Text(Field.GroundingDealer),
            CaseId: Text(Field.CaseId),
            ConditionReportId: Text(Field.ConditionReportId),
            Status: ParseStatus(Text(Field.Status)),
            OpensAt: Instant(Field.OpensAt),
            EndsAt: Instant(Field.EndsAt),
            OpeningPriceCents: Number(Field.OpeningPrice),
            FloorPriceCents: Number(Field.FloorPrice),
            BuyNowPriceCents: Number(Field.BuyNowPrice),
            CurrentPriceCents: Number(Field.Price),
            LeaderDealerId: Text(Field.Leader),
            LeaderAlias: (int)Number(Field.LeaderAlias),
            BidCount: (int)Number(Field.BidCount),
            LastSequence: Number(Field.Sequence),
            ClosedAt: fields.ContainsKey(Field.ClosedAt) ? Instant(Field.ClosedAt) : null,
            SalePriceCents: Number(Field.SalePrice),
            BuyerDealerId: Text(Field.Buyer),
            ProofOfSaleId: Text(Field.ProofOfSale),
            Reason: Text(Field.Reason))
        {
            Journey = Text(Field.Journey),
        };
    }
}
