namespace Remarketing.Auction.Tests;

/// <summary>
/// DESIGN 4's bidding rules as a plain in-memory model, written apart from the Lua script: the
/// engine's answers and log must agree with it bid for bid.
/// </summary>
public sealed class ReferenceAuction(long openingCents, long floorCents, IncrementTable increments)
{
    private readonly Dictionary<string, long> _maxima = new(StringComparer.Ordinal);

    public long Price { get; private set; }

    public string Leader { get; private set; } = "";

    public long LeaderMaximum { get; private set; }

    public long MinimumNext => Leader.Length == 0 ? openingCents : Price + increments.StepAt(Price);

    public BidRejection Bid(string dealer, long amount, long maximum)
    {
        if (maximum > 0 && maximum < amount)
            return BidRejection.MaximumBelowAmount;
        var reach = Math.Max(amount, maximum);
        var wasLeader = dealer == Leader;

        if (wasLeader)
        {
            if (reach <= LeaderMaximum)
                return maximum > 0 ? BidRejection.MaximumLowered : BidRejection.AlreadyLeading;
            LeaderMaximum = reach;
        }
        else if (amount < MinimumNext)
        {
            return BidRejection.BelowMinimum;
        }
        else if (Leader.Length == 0)
        {
            (Leader, LeaderMaximum, Price) = (dealer, reach, amount);
        }
        else if (reach > LeaderMaximum)
        {
            // The beaten maximum is answered once more: one increment over it, capped by the new reach.
            Price = Math.Max(amount, Math.Min(reach, LeaderMaximum + increments.StepAt(LeaderMaximum)));
            (Leader, LeaderMaximum) = (dealer, reach);
        }
        else
        {
            // The standing maximum (earlier, so it wins ties) answers one increment over the challenger.
            Price = Math.Min(LeaderMaximum, reach + increments.StepAt(reach));
        }

        if (LeaderMaximum >= floorCents && Price < floorCents)
            Price = floorCents;
        if (maximum > 0 || wasLeader)
            _maxima[dealer] = reach;
        else
            _maxima.Remove(dealer);
        return BidRejection.None;
    }

    public long MaximumOf(string dealer) => _maxima.GetValueOrDefault(dealer);
}
