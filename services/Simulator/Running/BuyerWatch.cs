using Remarketing.Contracts.Auction.V1;
using Remarketing.Simulator.Bots;

namespace Remarketing.Simulator.Running;

/// <summary>A listing the dealer has seen: its plan (null: not wanted), its view, and its stream.</summary>
internal sealed class BuyerWatch(string vin, BidPlan? plan, ListingView view)
{
    private readonly object _gate = new();
    private ListingView _view = view;

    public string Vin { get; } = vin;

    public BidPlan? Plan { get; } = plan;

    public ListingView View
    {
        get
        {
            lock (_gate)
                return _view;
        }
    }

    public int Looks { get; set; }

    public bool Left { get; set; }

    public Task? Stream { get; set; }

    public CancellationTokenSource? StopSource { get; set; }

    /// <summary>A newer view replaces the one held; an older one (a late answer) is ignored.</summary>
    public void Update(ListingView newer)
    {
        lock (_gate)
        {
            if (newer.LastSequence >= _view.LastSequence)
                _view = newer;
        }
    }

    public void Answered(PlaceBidResponse answer)
    {
        lock (_gate)
        {
            if (answer.Sequence < _view.LastSequence)
                return;
            _view = _view with
            {
                CurrentPriceCents = answer.CurrentPriceCents,
                MinimumNextBidCents = answer.MinimumNextBidCents,
                CallerIsHighBidder = answer.CallerIsHighBidder,
                CallerMaximumCents = answer.CallerMaxAmountCents,
                FloorMet = answer.FloorMet,
                EndsAt = answer.EndsAt is null ? _view.EndsAt : ContractMessages.At(answer.EndsAt),
                LastSequence = answer.Sequence,
            };
        }
    }

    public void StopStream() => StopSource?.Cancel();
}
