using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Simulator.Running;

/// <summary>A point of a listing's price, from its log.</summary>
public sealed record PricePoint(DateTimeOffset At, long PriceCents);

/// <summary>
/// Everything the simulated people have seen and done, for the live view and the summary: the
/// vehicles' stories, the market as the remarketing center watches it, each listing's price over
/// time (from the buyers' WatchListing streams), counters and the latest errors. Thread-safe: the
/// streams write into it while the agenda runs.
/// </summary>
public sealed class Observations(TimeProvider realTime)
{
    private const int ErrorsKept = 6;

    private readonly object _gate = new();
    private readonly List<VehicleStory> _stories = [];
    private readonly Dictionary<string, VehicleStory> _byAccount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VehicleStory> _byCase = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VehicleStory> _byVin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Listing> _market = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<long, PricePoint>> _prices = new(StringComparer.Ordinal);
    private readonly HashSet<(string Listing, long Sequence)> _extensions = [];
    private readonly Queue<(long RealTicks, int Bids)> _recentBids = new();
    private readonly Queue<string> _lastErrors = new();
    private string? _lastTooLate;

    public long BidsSubmitted { get; private set; }

    public long BidsRejected { get; private set; }

    public long BuyNows { get; private set; }

    public long RefusedReleases { get; private set; }

    public long RefusalsThatChangedSomething { get; private set; }

    public long Errors { get; private set; }

    /// <summary>Steps refused for coming after their deadline (<see cref="TooLate"/>).</summary>
    public long ActedTooLate { get; private set; }

    /// <summary>Streams ended Unavailable and opened again (<see cref="StreamResumed"/>).</summary>
    public long StreamsResumed { get; private set; }

    public int SoftCloseExtensions
    {
        get
        {
            lock (_gate)
                return _extensions.Count;
        }
    }

    public void Add(VehicleStory story)
    {
        lock (_gate)
        {
            _stories.Add(story);
            _byAccount[story.Plan.Lease.AccountId] = story;
            _byVin[story.Plan.Lease.Vin] = story;
        }
    }

    public void CaseOpened(VehicleStory story, string caseId)
    {
        lock (_gate)
        {
            story.CaseId = caseId;
            _byCase[caseId] = story;
        }
    }

    public VehicleStory? ByCase(string caseId)
    {
        lock (_gate)
            return _byCase.GetValueOrDefault(caseId);
    }

    public VehicleStory? ByVin(string vin)
    {
        lock (_gate)
            return _byVin.GetValueOrDefault(vin);
    }

    /// <summary>Changes a story under the lock (the streams and the agenda both write).</summary>
    public void Update(VehicleStory story, Action<VehicleStory> change)
    {
        lock (_gate)
            change(story);
    }

    public IReadOnlyList<VehicleStory> Stories()
    {
        lock (_gate)
            return [.. _stories];
    }

    /// <summary>The remarketing center's market view of this run's vehicles (not an earlier run's): a listing as its last change left it.</summary>
    public void MarketChanged(Listing listing)
    {
        lock (_gate)
        {
            if (!_byVin.ContainsKey(listing.Vin))
                return;
            _market[listing.ListingId] = listing;
            if (_byCase.GetValueOrDefault(listing.CaseId) is not { } story)
                return;
            story.ListingId ??= listing.ListingId;
            if (story.ListingId != listing.ListingId)
                return;
            story.FloorPriceCents = listing.FloorPriceCents;
            if (listing.State == ListingState.Live && story.Stage is Stage.Inspected or Stage.WithRemarketingCenter or Stage.AwaitingInspection)
                story.Stage = Stage.Listed;
            if (listing.State is ListingState.Sold or ListingState.Unsold or ListingState.Withdrawn && story.Stage is Stage.Listed or Stage.Inspected)
            {
                story.Sold = listing.State == ListingState.Sold;
                story.SalePriceCents = listing.Outcome?.SalePriceCents ?? 0;
                story.Stage = story.PickupOrderId is null ? Stage.AwaitingPickup : story.Stage;
            }
        }
    }

    public IReadOnlyList<Listing> Market()
    {
        lock (_gate)
            return [.. _market.Values];
    }

    /// <summary>A price change on a listing's log, seen by any buyer's stream (each sequence counted once).</summary>
    public void PriceSeen(string listingId, long sequence, DateTimeOffset at, long priceCents)
    {
        lock (_gate)
        {
            if (!_prices.TryGetValue(listingId, out var points))
                _prices[listingId] = points = [];
            points.TryAdd(sequence, new PricePoint(at, priceCents));
        }
    }

    public void ExtensionSeen(string listingId, long sequence)
    {
        lock (_gate)
            _extensions.Add((listingId, sequence));
    }

    public IReadOnlyDictionary<string, IReadOnlyList<PricePoint>> PriceHistory()
    {
        lock (_gate)
            return _prices.ToDictionary(entry => entry.Key, entry => (IReadOnlyList<PricePoint>)[.. entry.Value.Values], StringComparer.Ordinal);
    }

    public void BidSubmitted(bool accepted)
    {
        lock (_gate)
        {
            BidsSubmitted++;
            if (!accepted)
                BidsRejected++;
            _recentBids.Enqueue((realTime.GetTimestamp(), 1));
        }
    }

    public void BoughtNow()
    {
        lock (_gate)
            BuyNows++;
    }

    /// <summary>Bids the bots sent per real second, over the last 5 seconds.</summary>
    public double BidsPerSecond()
    {
        lock (_gate)
        {
            var now = realTime.GetTimestamp();
            while (_recentBids.Count > 0 && realTime.GetElapsedTime(_recentBids.Peek().RealTicks, now) > TimeSpan.FromSeconds(5))
                _recentBids.Dequeue();
            return _recentBids.Sum(bid => bid.Bids) / 5.0;
        }
    }

    public void ReleaseRefused(bool changedSomething)
    {
        lock (_gate)
        {
            RefusedReleases++;
            if (changedSomething)
                RefusalsThatChangedSomething++;
        }
    }

    /// <summary>A step refused because its person came after its deadline (<see cref="Cast.TryInTimeAsync"/>): counted apart from errors.</summary>
    public void TooLate(string what)
    {
        lock (_gate)
        {
            ActedTooLate++;
            _lastTooLate = what;
        }
    }

    /// <summary>The last step counted by <see cref="TooLate"/>, for the summary.</summary>
    public string? LastTooLate
    {
        get
        {
            lock (_gate)
                return _lastTooLate;
        }
    }

    /// <summary>A stream that ended Unavailable (an instance went away) and was opened again: counted apart from errors, and not among them.</summary>
    public void StreamResumed(string what)
    {
        lock (_gate)
            StreamsResumed++;
    }

    public void Error(string what)
    {
        lock (_gate)
        {
            Errors++;
            _lastErrors.Enqueue(what);
            while (_lastErrors.Count > ErrorsKept)
                _lastErrors.Dequeue();
        }
    }

    public IReadOnlyList<string> LastErrors()
    {
        lock (_gate)
            return [.. _lastErrors];
    }

    public IReadOnlyDictionary<Stage, int> StageCounts(out int waitingForHandOffs, DateTimeOffset now)
    {
        lock (_gate)
        {
            waitingForHandOffs = _stories.Count(story => story.WaitingForHandOff(now));
            return _stories.GroupBy(story => story.Stage).ToDictionary(group => group.Key, group => group.Count());
        }
    }
}
