using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Running;

/// <summary>
/// The lender's remarketing center: opens the lease accounts and grants the extensions the
/// scenario plans, reports on the vehicles in its own queue (AK, HI, SD), watches the market
/// (WatchMarket), sells what SmartAuction did not at the physical auction (RecordAuctionResult),
/// and reads the settlements at the end.
/// </summary>
public sealed class BackOffice(Cast cast)
{
    public const string CenterId = "RC-SIM";

    private readonly HashSet<string> _bookedReports = new(StringComparer.Ordinal);

    /// <summary>Grounding dealers this run has registered, each franchised for its one make.</summary>
    private readonly ConcurrentDictionary<string, bool> _franchised = new(StringComparer.Ordinal);

    private Task<Metadata> AsCenter(CancellationToken cancellationToken = default) => cast.Gateway.AsAsync(CenterId, RoleNames.Remarketing, cancellationToken);

    public Task OpenAccountAsync(VehicleStory story, CancellationToken cancellationToken) =>
        cast.TryAsync($"open account {story.Plan.Lease.AccountId}", async () =>
        {
            var headers = await AsCenter(cancellationToken);
            var dealerId = story.Plan.Return.GroundingDealerId;
            if (!_franchised.ContainsKey(dealerId))
            {
                // Only a dealer franchised for the make takes the return: the registry knows it before the car comes back.
                var franchise = new RegisterDealerRequest { RequestId = $"{dealerId}/{cast.RunTag}/franchise", DealerId = dealerId, Makes = { story.Plan.Lease.Make } };
                await cast.Gateway.Quote.RegisterDealerAsync(franchise, headers, cancellationToken: cancellationToken);
                _franchised[dealerId] = true;
            }
            var request = new CreateLeaseAccountRequest { RequestId = $"{story.Plan.Lease.AccountId}/open", Terms = ContractMessages.Terms(story.Plan.Lease) };
            await cast.Gateway.Quote.CreateLeaseAccountAsync(request, headers, cancellationToken: cancellationToken);
            cast.Seen.Add(story);
        });

    public Task ExtendAsync(VehicleStory story, int days, CancellationToken cancellationToken) =>
        // Refused once the extended end is not after today: too late to ask.
        cast.TryInTimeAsync($"extend lease {story.Plan.Lease.AccountId}", StartOfDay(story.Plan.Lease.MaturityDate.AddDays(days)), async () =>
        {
            var request = new ExtendLeaseRequest { RequestId = $"{story.Plan.Lease.AccountId}/extend", AccountId = story.Plan.Lease.AccountId, Days = days };
            await cast.Gateway.Quote.ExtendLeaseAsync(request, await AsCenter(cancellationToken), cancellationToken: cancellationToken);
        });

    private static DateTimeOffset StartOfDay(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The center's queue: each order of ours that no inspector may take gets the center's own report, at the center's pace.</summary>
    public Task WorkQueueAsync(CancellationToken cancellationToken) =>
        cast.TryAsync("list the remarketing center's queue", async () =>
        {
            var headers = await AsCenter(cancellationToken);
            var pending = await cast.Gateway.Inspection.ListPendingAsync(new ListPendingRequest { Page = new() { PageSize = 200 } }, headers, cancellationToken: cancellationToken);
            foreach (var order in pending.Orders.Where(order => order.State == InspectionOrderState.RemarketingCenter))
            {
                if (cast.Seen.ByCase(order.CaseId) is not { } story || !_bookedReports.Add(order.OrderId))
                    continue;
                cast.Seen.Update(story, seen =>
                {
                    seen.InspectionOrderId = order.OrderId;
                    seen.QueuedForRemarketingCenter = true;
                    if (seen.Stage is Stage.AwaitingInspection or Stage.HeldForDealerPurchase)
                        seen.Stage = Stage.WithRemarketingCenter;
                });
                cast.At(ContractMessages.At(order.OrderedAt) + story.Plan.Pace.CenterReports, $"center-report:{story.Plan.Index:D6}", token => ReportAsync(story, order.OrderId, token));
            }
        });

    private Task ReportAsync(VehicleStory story, string orderId, CancellationToken cancellationToken) =>
        cast.TryAsync($"center's condition report for {story.Plan.Lease.Vin}", async () =>
        {
            var report = await cast.Gateway.Inspection.SubmitConditionReportAsync(
                ContractMessages.Report(story.Plan, orderId), await AsCenter(cancellationToken), cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen =>
            {
                seen.Eligible = report.AuctionEligible;
                seen.GradeTenths = report.ConditionGradeTenths;
                if (seen.Stage == Stage.WithRemarketingCenter)
                    seen.Stage = Stage.Inspected;
            });
        });

    /// <summary>
    /// A vehicle delivered unsold or not eligible goes through the physical auction's lane on its
    /// next sale day; the center records the sale with Quote, which settles the case.
    /// </summary>
    public void SellAtPhysicalAuction(VehicleStory story)
    {
        var (after, price) = PhysicalAuction.Sale(cast.Settings.Seed, story.Plan, story.FloorPriceCents, story.GradeTenths, cast.Today);
        cast.At(cast.Now + after, $"center-physical-sale:{story.Plan.Index:D6}", token => RecordPhysicalSaleAsync(story, price, token));
    }

    private Task RecordPhysicalSaleAsync(VehicleStory story, long priceCents, CancellationToken cancellationToken) =>
        cast.TryAsync($"record the physical auction's sale of {story.Plan.Lease.Vin}", async () =>
        {
            var request = new RecordAuctionResultRequest
            {
                RequestId = $"{story.CaseId}/physical-sale",
                CaseId = story.CaseId!,
                ListingId = $"LANE-{story.Plan.Lease.AccountId}",
                Sold = true,
                SalePriceCents = priceCents,
                ClosedAt = Timestamp.FromDateTimeOffset(cast.Now),
            };
            await cast.Gateway.Quote.RecordAuctionResultAsync(request, await AsCenter(cancellationToken), cancellationToken: cancellationToken);
            cast.Seen.Update(story, seen =>
            {
                seen.PhysicalSalePriceCents = priceCents;
                seen.Stage = Stage.SoldAtPhysicalAuction;
            });
        });

    /// <summary>Every live listing's changes, as long as the run lasts (reconnecting after a break).</summary>
    public Task WatchMarketAsync(CancellationToken cancellationToken) =>
        Cast.KeepStreamingAsync("market stream", async token =>
        {
            using var call = cast.Gateway.Auction.WatchMarket(new WatchMarketRequest(), await AsCenter(token), cancellationToken: token);
            await foreach (var change in call.ResponseStream.ReadAllAsync(token))
            {
                if (change.KindCase == MarketEvent.KindOneofCase.Listing)
                    cast.Seen.MarketChanged(change.Listing);
            }
            return false;
        }, cast.Seen.Error, TimeSpan.FromMilliseconds(500), cancellationToken, cast.Seen.StreamResumed);

    /// <summary>
    /// Listings the market stream showed live whose end is well past (a close missed while the
    /// stream reconnected): asked for one by one.
    /// </summary>
    public Task SweepClosedListingsAsync(CancellationToken cancellationToken) => LookUpLiveListingsAsync(cast.Now - TimeSpan.FromHours(1), cancellationToken);

    /// <summary>Asks for each listing the market stream last showed live and ending before <paramref name="endingBefore"/>.</summary>
    public Task LookUpLiveListingsAsync(DateTimeOffset endingBefore, CancellationToken cancellationToken) =>
        cast.TryAsync("look up listings past their end", async () =>
        {
            var overdue = cast.Seen.Market().Where(listing => listing.State == ListingState.Live && ContractMessages.At(listing.EndsAt) < endingBefore).ToList();
            if (overdue.Count == 0)
                return;
            var headers = await AsCenter(cancellationToken);
            foreach (var listing in overdue)
                cast.Seen.MarketChanged(await cast.Gateway.Auction.GetListingAsync(new GetListingRequest { ListingId = listing.ListingId }, headers, cancellationToken: cancellationToken));
        });

    /// <summary>
    /// The settlement Quote holds for a case; null if it cannot be read. One that is not final yet
    /// is asked for again a few times: the auction's result reaches Quote a moment after the close.
    /// </summary>
    public async Task<Settlement?> SettlementAsync(string caseId, CancellationToken cancellationToken)
    {
        Settlement? settlement = null;
        for (var attempt = 1; attempt <= 5 && settlement is not { Final: true }; attempt++)
        {
            if (attempt > 1)
                await Cast.PauseAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
            await cast.TryAsync($"read the settlement of {caseId}", async () =>
                settlement = await cast.Gateway.Quote.GetSettlementAsync(new GetSettlementRequest { CaseId = caseId }, await AsCenter(cancellationToken), cancellationToken: cancellationToken));
        }
        return settlement;
    }

    /// <summary>Who the center must read as to check a pickup order (refused releases change nothing).</summary>
    public Task<Metadata> HeadersAsync(CancellationToken cancellationToken) => AsCenter(cancellationToken);
}
