using System.Text.Json;
using System.Text.Json.Serialization;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Simulator.Running;

/// <summary>
/// How the run was set up and how long it took: differs between runs of the same seed. <c>Step</c>: a stepped run's step
/// (e.g. "1h"), null on the running clock. <c>StreamsResumed</c>: streams that ended Unavailable (an instance went away)
/// and were opened again, not counted among the errors. <c>ActedTooLate</c>: steps refused because the simulated person came
/// after their deadline (the machine too busy to keep them on time), the last one in <c>LastTooLate</c>; not errors either.
/// </summary>
public sealed record RunFacts(
    int Seed,
    double Speed,
    int Dealers,
    double ReturnsPerDay,
    DateTimeOffset SimulatedStart,
    DateTimeOffset SimulatedEnd,
    double RealSeconds,
    int Errors,
    IReadOnlyList<string> LastErrors,
    string? Step,
    int StreamsResumed,
    int ActedTooLate,
    string? LastTooLate);

/// <summary>Vehicles by how they left the lender, and those still under way; unsold and ineligible ones transported go on to the physical auction.</summary>
public sealed record PathCounts(
    int AccountsOpened,
    int Returned,
    int BoughtByDealer,
    int DealerPurchaseHoldsLapsed,
    int SoldAndPickedUp,
    int UnsoldAndTransported,
    int IneligibleAndTransported,
    int SoldAtPhysicalAuction,
    int ThroughRemarketingCenterQueue,
    int StillUnderWay);

/// <summary>The auction as the remarketing center saw it close, and what the bots did.</summary>
public sealed record AuctionFigures(
    int ListingsSeen,
    int Sold,
    int Unsold,
    int StillLive,
    int SellThroughBasisPoints,
    long SalesTotalCents,
    long AverageSalePriceCents,
    long AverageFloorOfSoldCents,
    int SalePriceToFloorBasisPoints,
    long BidsSubmitted,
    long BidsRejected,
    long BuyNows,
    int SoftCloseExtensions,
    long PhysicalAuctionSalesTotalCents);

/// <summary>The final settlements Quote holds for the vehicles sold (on SmartAuction or at the physical auction) or bought by their dealer.</summary>
public sealed record SettlementFigures(int Final, int NotFinalYet, long TotalBalanceCents, long DepositsRefundedCents);

public sealed record ReleaseFigures(int Released, int Delivered, long RefusedReleases, long RefusalsThatChangedSomething);

/// <summary>What the run comes to: everything but <see cref="Run"/> is the same for two runs of the same seed on a stepped clock.</summary>
public sealed record SimulationSummary(
    RunFacts Run,
    PathCounts Paths,
    AuctionFigures Auction,
    SettlementFigures Settlements,
    ReleaseFigures Releases,
    IReadOnlyDictionary<string, int> Stages)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The parts two runs of the same seed and speed agree on.</summary>
    public string Outcome() => JsonSerializer.Serialize(new { Paths, Auction, Settlements, Releases, Stages }, Json);

    public static async Task<SimulationSummary> MakeAsync(Simulation simulation, BackOffice center, TimeSpan realElapsed, CancellationToken cancellationToken)
    {
        var seen = simulation.Seen;
        var stories = seen.Stories();
        var market = seen.Market().Where(listing => stories.Any(story => story.ListingId == listing.ListingId)).ToList();
        var sold = market.Where(listing => listing.State == ListingState.Sold).ToList();
        var unsold = market.Count(listing => listing.State is ListingState.Unsold or ListingState.Withdrawn);
        var salesTotal = sold.Sum(listing => listing.Outcome?.SalePriceCents ?? 0);
        var floorsTotal = sold.Sum(listing => listing.FloorPriceCents);

        var final = 0;
        var notFinal = 0;
        long balance = 0;
        long deposits = 0;
        foreach (var story in stories.Where(story => story.CaseId is not null && (story.Sold || story.Stage is Stage.BoughtByDealer or Stage.SoldAtPhysicalAuction)).OrderBy(story => story.Plan.Index))
        {
            var settlement = await center.SettlementAsync(story.CaseId!, cancellationToken);
            if (settlement is not { Final: true })
            {
                notFinal++;
                continue;
            }
            final++;
            balance += settlement.BalanceCents;
            deposits -= settlement.LineItems.Where(line => line.Code == "security_deposit").Sum(line => line.AmountCents);
        }

        var now = simulation.Clock.Now;
        return new SimulationSummary(
            new RunFacts(
                simulation.Settings.Seed, simulation.Clock.Speed, simulation.Settings.Dealers, simulation.Settings.ReturnsPerDay,
                simulation.Start, now, Math.Round(realElapsed.TotalSeconds, 1), (int)seen.Errors, seen.LastErrors(),
                simulation.Settings.Step is { } step ? DurationText.Format(step) : null, (int)seen.StreamsResumed, (int)seen.ActedTooLate, seen.LastTooLate),
            new PathCounts(
                AccountsOpened: stories.Count,
                Returned: stories.Count(story => story.CaseId is not null),
                BoughtByDealer: stories.Count(story => story.Path == LifecyclePath.BoughtByDealer),
                DealerPurchaseHoldsLapsed: stories.Count(story => story.HoldUntil is not null && story.Stage != Stage.BoughtByDealer && story.InspectionOrderId is not null),
                SoldAndPickedUp: stories.Count(story => story.Path == LifecyclePath.SoldAndPickedUp),
                UnsoldAndTransported: stories.Count(story => story.Path == LifecyclePath.UnsoldAndTransported),
                IneligibleAndTransported: stories.Count(story => story.Path == LifecyclePath.IneligibleAndTransported),
                SoldAtPhysicalAuction: stories.Count(story => story.Stage == Stage.SoldAtPhysicalAuction),
                ThroughRemarketingCenterQueue: stories.Count(story => story.QueuedForRemarketingCenter),
                StillUnderWay: stories.Count(story => story.CaseId is not null && story.Path == LifecyclePath.UnderWay)),
            new AuctionFigures(
                ListingsSeen: market.Count,
                Sold: sold.Count,
                Unsold: unsold,
                StillLive: market.Count(listing => listing.State == ListingState.Live),
                SellThroughBasisPoints: sold.Count + unsold == 0 ? 0 : sold.Count * 10_000 / (sold.Count + unsold),
                SalesTotalCents: salesTotal,
                AverageSalePriceCents: sold.Count == 0 ? 0 : salesTotal / sold.Count,
                AverageFloorOfSoldCents: sold.Count == 0 ? 0 : floorsTotal / sold.Count,
                SalePriceToFloorBasisPoints: floorsTotal == 0 ? 0 : (int)(salesTotal * 10_000 / floorsTotal),
                seen.BidsSubmitted, seen.BidsRejected, seen.BuyNows, seen.SoftCloseExtensions,
                stories.Sum(story => story.PhysicalSalePriceCents)),
            new SettlementFigures(final, notFinal, balance, deposits),
            new ReleaseFigures(
                Released: stories.Count(story => story.Stage is Stage.InTransit or Stage.Delivered or Stage.SoldAtPhysicalAuction),
                Delivered: stories.Count(story => story.Stage is Stage.Delivered or Stage.SoldAtPhysicalAuction),
                seen.RefusedReleases, seen.RefusalsThatChangedSomething),
            Enum.GetValues<Stage>().ToDictionary(stage => stage.ToString(), stage => stories.Count(story => story.Stage == stage)));
    }
}
