using Remarketing.ServiceDefaults.Domain;
using StackExchange.Redis;
using static Remarketing.Auction.Engine.ListingSchema;

namespace Remarketing.Auction.Engine;

public enum ListingStatus
{
    Live,
    Sold,
    Unsold,
    Withdrawn,
}

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
            Reason: Text(Field.Reason));
    }
}

/// <summary>What a caller asks to list; validated by the engine.</summary>
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
    string ConditionReportId);

public enum BidRejection
{
    None,
    BelowMinimum,
    ListingClosed,
    MaximumLowered,
    MaximumBelowAmount,
    AlreadyLeading,
}

/// <summary>The engine's answer to a bid: the same for every retry of its bid id.</summary>
public sealed record BidAnswer(
    bool Accepted,
    BidRejection Rejection,
    long CurrentPriceCents,
    long MinimumNextBidCents,
    bool CallerLeads,
    long Sequence,
    DateTimeOffset EndsAt,
    bool FloorMet,
    long CallerMaximumCents)
{
    /// <summary>What the caller can do about a rejection.</summary>
    public string Message => Rejection switch
    {
        BidRejection.None when CallerLeads => "accepted: you are the high bidder",
        BidRejection.None => $"accepted, but a proxy maximum outbid you: bid at least {Cents.Format(MinimumNextBidCents)}",
        BidRejection.BelowMinimum => $"bid at least {Cents.Format(MinimumNextBidCents)}",
        BidRejection.ListingClosed => "the listing has ended",
        BidRejection.MaximumLowered => $"your maximum is {Cents.Format(CallerMaximumCents)}: a maximum can be raised, never lowered",
        BidRejection.MaximumBelowAmount => "the maximum must be at least the bid amount",
        BidRejection.AlreadyLeading => $"you already lead with a maximum of {Cents.Format(CallerMaximumCents)}: to go higher, raise your maximum",
        _ => "",
    };
}
