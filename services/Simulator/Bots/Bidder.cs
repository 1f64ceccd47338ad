using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Bots;

public enum BidMove
{
    /// <summary>Nothing now; look again at the decision's next look.</summary>
    Wait,
    Bid,
    BuyNow,
    /// <summary>Done with this listing: too dear, floor met (bargain hunter), or its one move made.</summary>
    Leave,
}

/// <param name="MaximumCents">A proxy maximum; 0 = a plain bid.</param>
/// <param name="NextLook">When to look again (besides a notice that wakes it); null = only a notice does.</param>
public sealed record BidDecision(BidMove Move, long AmountCents = 0, long MaximumCents = 0, DateTimeOffset? NextLook = null)
{
    public static BidDecision Leave { get; } = new(BidMove.Leave);
}

/// <summary>What a dealer decided about a listing when it first saw it: what it is worth to it and when to look.</summary>
/// <param name="Seed">Every later decision draws from generators derived from this and the look's number.</param>
public sealed record BidPlan(string ListingId, long ValueCents, DateTimeOffset FirstLook, int Seed);

/// <summary>
/// One buying dealer's mind: whether a listing interests it, what it is worth, and what to do at
/// each look. Plain code: every answer is a function of the dealer (its seed and style), what the
/// listing shows and the time, so the same observations always give the same decisions.
/// </summary>
public sealed class Bidder(BuyingDealer dealer)
{
    /// <summary>How much below the guide a bargain hunter values what it buys.</summary>
    private const int BargainBasisPoints = 8_000;

    public BuyingDealer Dealer { get; } = dealer;

    /// <summary>The dealer's plan for a listing it just saw; null when it does not want the vehicle at its opening price.</summary>
    public BidPlan? Consider(ListingView view, DateOnly today)
    {
        if (!view.Live || !Dealer.Makes.Contains(view.Make))
            return null;
        var guide = MarketGuide.ValueCents(view.Make, view.Model, view.ModelYear, view.OdometerMiles, view.GradeTenths, today);
        if (guide == 0)
            return null;
        // The same vehicle (as the listing shows it) always draws the same for this dealer.
        var random = Seeds.For(Dealer.Seed, $"{view.Make}|{view.Model}|{view.ModelYear}|{view.OdometerMiles}|{view.GradeTenths}");
        var noise = 10_000 + random.Next(-800, 801);
        var value = guide * Dealer.AppetiteBasisPoints / 10_000 * noise / 10_000;
        if (Dealer.Style == BidderStyle.BargainHunter)
            value = value * BargainBasisPoints / 10_000;
        value = value / 100 * 100;
        var floorOfInterest = Dealer.Style == BidderStyle.BuyNowTaker ? view.BuyNowPriceCents : Math.Max(view.OpeningPriceCents, view.MinimumNextBidCents);
        if (floorOfInterest == 0 || value < floorOfInterest)
            return null;

        var window = view.EndsAt - view.OpensAt;
        var firstLook = Dealer.Style switch
        {
            BidderStyle.EarlyBidder => view.OpensAt + Minutes(random, 0, 180),
            BidderStyle.ProxyBidder => view.OpensAt + window * (random.Next(10, 51) / 100.0),
            BidderStyle.LastMinuteBidder => view.EndsAt - TimeSpan.FromSeconds(random.Next(40, 171)),
            BidderStyle.BuyNowTaker => view.OpensAt + Minutes(random, 60, 24 * 60),
            _ => view.OpensAt + Minutes(random, 4 * 60, 30 * 60),
        };
        return new BidPlan(view.ListingId, value, firstLook, random.Next());
    }

    /// <summary>What to do at look number <paramref name="look"/> (0 first) on the listing as it shows now.</summary>
    public BidDecision Decide(BidPlan plan, ListingView view, DateTimeOffset now, int look)
    {
        if (!view.Live || now >= view.EndsAt)
            return BidDecision.Leave;
        var random = Seeds.For(plan.Seed, "look", look);
        var affordable = view.MinimumNextBidCents <= plan.ValueCents;
        switch (Dealer.Style)
        {
            case BidderStyle.EarlyBidder:
                if (view.CallerIsHighBidder)
                    return new BidDecision(BidMove.Wait, NextLook: now + Minutes(random, 120, 360));
                return affordable ? new BidDecision(BidMove.Bid, view.MinimumNextBidCents, NextLook: now + Minutes(random, 60, 240)) : BidDecision.Leave;

            case BidderStyle.ProxyBidder:
                // One secret maximum, left once: the engine bids for it from then on.
                return !view.CallerIsHighBidder && affordable ? new BidDecision(BidMove.Bid, view.MinimumNextBidCents, plan.ValueCents) : BidDecision.Leave;

            case BidderStyle.LastMinuteBidder:
                var lead = TimeSpan.FromSeconds(random.Next(20, 101));
                if (now < view.EndsAt - TimeSpan.FromMinutes(10))
                    return new BidDecision(BidMove.Wait, NextLook: view.EndsAt - lead);
                if (view.CallerIsHighBidder)
                    return new BidDecision(BidMove.Wait);
                // A bid now, inside the soft close, moves the end later; an outbid notice brings it back.
                return affordable ? new BidDecision(BidMove.Bid, view.MinimumNextBidCents) : BidDecision.Leave;

            case BidderStyle.BuyNowTaker:
                return view.BuyNowPriceCents > 0 && view.CurrentPriceCents < view.BuyNowPriceCents && view.BuyNowPriceCents <= plan.ValueCents
                    ? new BidDecision(BidMove.BuyNow, view.BuyNowPriceCents)
                    : BidDecision.Leave;

            default:
                // The bargain hunter bids only below the floor: once the floor is met the price is no bargain.
                if (view.FloorMet)
                    return BidDecision.Leave;
                if (view.CallerIsHighBidder)
                    return new BidDecision(BidMove.Wait, NextLook: now + Minutes(random, 360, 720));
                return affordable ? new BidDecision(BidMove.Bid, view.MinimumNextBidCents, NextLook: now + Minutes(random, 360, 720)) : BidDecision.Leave;
        }
    }

    /// <summary>Whether an outbid or extension notice should bring the dealer back at once (it reacts within its reaction time).</summary>
    public bool ReactsToNotices => Dealer.Style is BidderStyle.EarlyBidder or BidderStyle.LastMinuteBidder;

    /// <summary>How long the dealer takes to react to a notice on look <paramref name="look"/>.</summary>
    public TimeSpan Reaction(BidPlan plan, int look)
    {
        var random = Seeds.For(plan.Seed, "reaction", look);
        return Dealer.Style == BidderStyle.LastMinuteBidder ? TimeSpan.FromSeconds(random.Next(5, 40)) : Minutes(random, 10, 90);
    }

    private static TimeSpan Minutes(Random random, int least, int most) => TimeSpan.FromMinutes(random.Next(least, most + 1));
}
