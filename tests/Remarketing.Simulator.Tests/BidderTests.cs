using Remarketing.Simulator.Bots;
using Remarketing.Simulator.Scenario;

namespace Remarketing.Simulator.Tests;

/// <summary>
/// The buying dealers' decisions: a function of the dealer (its seed and style), what the listing
/// shows and the time. The same observations give the same decisions, and no dealer bids above
/// what the vehicle is worth to it.
/// </summary>
public sealed class BidderTests
{
    private static readonly DateTimeOffset Opens = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Opens.UtcDateTime);
    private static readonly string[] AllMakes = [.. VehicleCatalog.Makes];

    private static Bidder Dealer(BidderStyle style, int seed = 11) =>
        new(new BuyingDealer("B-1", style, 10_000, AllMakes.ToHashSet(StringComparer.Ordinal), seed));

    /// <summary>A 2024 Toyota RAV4 with 30,000 miles, grade 4.2: floor unknown to bidders, buy now $20,000 by default.</summary>
    private static ListingView Listing(long price = 0, bool floorMet = false, bool leading = false, DateTimeOffset? endsAt = null, long buyNow = 20_000_00) => new(
        "L-1", "Toyota", "RAV4", 2024, 30_000, 42, Opens, endsAt ?? Opens.AddDays(3), 10_000_00, price, price == 0 ? 10_000_00 : price + 250_00, buyNow,
        floorMet, price == 0 ? 0 : 3, leading, 0, Live: true, LastSequence: 3);

    /// <summary>What a dealer does, look after look, over a fixed story of what it sees.</summary>
    private static List<BidDecision> Replay(Bidder bidder)
    {
        var plan = bidder.Consider(Listing(), Today) ?? throw new InvalidOperationException("the dealer wants the vehicle");
        var observed = new[]
        {
            (Listing(), plan.FirstLook),
            (Listing(price: 12_000_00), plan.FirstLook.AddHours(2)),
            (Listing(price: 15_000_00, floorMet: true), plan.FirstLook.AddHours(5)),
            (Listing(price: 18_000_00, floorMet: true, leading: true), Opens.AddDays(3).AddMinutes(-2)),
            (Listing(price: 19_000_00, floorMet: true, endsAt: Opens.AddDays(3).AddMinutes(3)), Opens.AddDays(3).AddMinutes(1)),
        };
        return [.. observed.Select((seen, look) => bidder.Decide(plan, seen.Item1, seen.Item2, look))];
    }

    [Theory]
    [InlineData(BidderStyle.EarlyBidder)]
    [InlineData(BidderStyle.ProxyBidder)]
    [InlineData(BidderStyle.LastMinuteBidder)]
    [InlineData(BidderStyle.BuyNowTaker)]
    [InlineData(BidderStyle.BargainHunter)]
    public void TheSameObservations_GiveTheSameDecisions(BidderStyle style)
    {
        var first = Dealer(style).Consider(Listing(), Today);
        var second = Dealer(style).Consider(Listing(), Today);

        Assert.Equal(first, second);
        Assert.Equal(Replay(Dealer(style)), Replay(Dealer(style)));
    }

    [Fact]
    public void AnotherDealerSeed_ValuesTheVehicleDifferently()
    {
        var values = Enumerable.Range(1, 20).Select(seed => Dealer(BidderStyle.EarlyBidder, seed).Consider(Listing(), Today)?.ValueCents).Distinct().ToList();

        Assert.True(values.Count > 10);
        Assert.All(values, value => Assert.InRange(value ?? 0, MarketGuide.ValueCents("Toyota", "RAV4", 2024, 30_000, 42, Today) * 90 / 100, MarketGuide.ValueCents("Toyota", "RAV4", 2024, 30_000, 42, Today) * 110 / 100));
    }

    [Fact]
    public void ADealer_IgnoresMakesItDoesNotBuy()
    {
        var fordOnly = new Bidder(new BuyingDealer("B-1", BidderStyle.EarlyBidder, 10_000, new HashSet<string>(["Ford"], StringComparer.Ordinal), 11));

        Assert.Null(fordOnly.Consider(Listing(), Today));
    }

    [Theory]
    [InlineData(BidderStyle.EarlyBidder)]
    [InlineData(BidderStyle.ProxyBidder)]
    [InlineData(BidderStyle.LastMinuteBidder)]
    [InlineData(BidderStyle.BargainHunter)]
    public void NoDealer_BidsAboveItsValuation(BidderStyle style)
    {
        var bidder = Dealer(style);
        var plan = bidder.Consider(Listing(), Today)!;
        for (var price = 10_000_00L; price < 40_000_00; price += 500_00)
        {
            var decision = bidder.Decide(plan, Listing(price: price), Opens.AddDays(3).AddMinutes(-1), look: 0);
            Assert.True(decision.Move != BidMove.Bid || (decision.AmountCents <= plan.ValueCents && decision.MaximumCents <= plan.ValueCents), $"{style} bid {decision} at {price}, valuing {plan.ValueCents}");
        }
    }

    [Fact]
    public void TheProxyBidder_LeavesItsValuationAsASecretMaximum_Once()
    {
        var bidder = Dealer(BidderStyle.ProxyBidder);
        var plan = bidder.Consider(Listing(), Today)!;

        var decision = bidder.Decide(plan, Listing(price: 11_000_00), plan.FirstLook, look: 0);

        Assert.Equal(new BidDecision(BidMove.Bid, 11_250_00, plan.ValueCents), decision);
        Assert.InRange(plan.FirstLook, Opens.AddDays(0.3), Opens.AddDays(1.5));
    }

    [Fact]
    public void TheLastMinuteBidder_WaitsForTheSoftClose_ThenBids()
    {
        var bidder = Dealer(BidderStyle.LastMinuteBidder);
        var plan = bidder.Consider(Listing(), Today)!;
        var ends = Opens.AddDays(3);

        var early = bidder.Decide(plan, Listing(price: 11_000_00), Opens.AddHours(5), look: 0);
        var late = bidder.Decide(plan, Listing(price: 11_000_00), ends.AddMinutes(-1), look: 1);
        var extended = bidder.Decide(plan, Listing(price: 12_000_00, endsAt: ends.AddMinutes(3)), ends.AddSeconds(30), look: 2);

        Assert.True(plan.FirstLook > ends.AddMinutes(-3) && plan.FirstLook < ends);
        Assert.Equal(BidMove.Wait, early.Move);
        Assert.True(early.NextLook > ends.AddMinutes(-3));
        Assert.Equal((BidMove.Bid, 11_250_00L, 0L), (late.Move, late.AmountCents, late.MaximumCents));
        Assert.Equal((BidMove.Bid, 12_250_00L), (extended.Move, extended.AmountCents));
    }

    [Fact]
    public void TheBargainHunter_BidsOnlyWhileTheFloorIsNotMet()
    {
        var bidder = Dealer(BidderStyle.BargainHunter);
        var plan = bidder.Consider(Listing(), Today)!;

        var below = bidder.Decide(plan, Listing(price: 10_500_00), plan.FirstLook, look: 0);
        var met = bidder.Decide(plan, Listing(price: 10_750_00, floorMet: true), plan.FirstLook.AddHours(8), look: 1);

        Assert.Equal(BidMove.Bid, below.Move);
        Assert.Equal(BidMove.Leave, met.Move);
        Assert.True(plan.ValueCents < Dealer(BidderStyle.EarlyBidder).Consider(Listing(), Today)!.ValueCents);
    }

    [Fact]
    public void TheBuyNowTaker_BuysOnlyWhenTheBuyNowPriceIsWorthIt()
    {
        var bidder = Dealer(BidderStyle.BuyNowTaker);
        var cheap = Listing(buyNow: 20_000_00);
        var plan = bidder.Consider(cheap, Today)!;

        Assert.Equal(new BidDecision(BidMove.BuyNow, 20_000_00), bidder.Decide(plan, cheap, plan.FirstLook, look: 0));
        Assert.Null(bidder.Consider(Listing(buyNow: 90_000_00), Today));
        Assert.Null(bidder.Consider(Listing(buyNow: 0), Today));
    }

    [Fact]
    public void TheEarlyBidder_BidsSoon_AndAgainWhenOutbid_ButNotWhileLeading()
    {
        var bidder = Dealer(BidderStyle.EarlyBidder);
        var plan = bidder.Consider(Listing(), Today)!;

        var first = bidder.Decide(plan, Listing(), plan.FirstLook, look: 0);
        var leading = bidder.Decide(plan, Listing(price: 10_000_00, leading: true), plan.FirstLook.AddHours(1), look: 1);
        var outbid = bidder.Decide(plan, Listing(price: 10_250_00), plan.FirstLook.AddHours(2), look: 2);

        Assert.True(plan.FirstLook <= Opens.AddHours(3));
        Assert.Equal((BidMove.Bid, 10_000_00L), (first.Move, first.AmountCents));
        Assert.Equal(BidMove.Wait, leading.Move);
        Assert.Equal((BidMove.Bid, 10_500_00L), (outbid.Move, outbid.AmountCents));
    }
}
