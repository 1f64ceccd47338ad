namespace Remarketing.Gateway;

/// <summary>One caller's streams: those waiting for a bid, and how many are open in all.</summary>
internal sealed class CallerBidStreams
{
    private readonly List<BidCarrier> _idle = [];
    private int _open;
    private bool _retired;

    /// <summary>A turn for each stream the caller may have; a bid holds one while it is on its way.</summary>
    public SemaphoreSlim Turns { get; } = new(BidCarriers.StreamsPerCaller, BidCarriers.StreamsPerCaller);

    public int Open => Volatile.Read(ref _open);

    public void Opened() => Interlocked.Increment(ref _open);

    public void Closed() => Interlocked.Decrement(ref _open);

    /// <summary>The most recently used stream still fit for a bid, if any; the unfit ones met on the way are closed.</summary>
    public BidCarrier? TakeFresh(DateTimeOffset now)
    {
        while (true)
        {
            BidCarrier? carrier;
            lock (_idle)
            {
                if (_idle.Count == 0)
                    return null;
                carrier = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
            }

            if (carrier.IsFitAt(now))
                return carrier;
            carrier.Retire();
        }
    }

    public void Return(BidCarrier carrier, DateTimeOffset now)
    {
        carrier.LastUsed = now;
        lock (_idle)
        {
            if (!_retired)
            {
                _idle.Add(carrier);
                return;
            }
        }

        carrier.Retire();
    }

    /// <summary>
    /// Closes the waiting streams unfit at <paramref name="now"/> (every one with <paramref name="retireAll"/>);
    /// true when none is open any more, and none will be kept from now on: the caller may be forgotten.
    /// </summary>
    public bool Retire(DateTimeOffset now, bool retireAll)
    {
        List<BidCarrier> unfit;
        bool idle;
        lock (_idle)
        {
            unfit = _idle.FindAll(carrier => retireAll || !carrier.IsFitAt(now));
            _idle.RemoveAll(unfit.Contains);
            idle = _idle.Count == 0 && Open == unfit.Count && Turns.CurrentCount == BidCarriers.StreamsPerCaller;
            _retired |= idle || retireAll;
        }

        foreach (var carrier in unfit)
            carrier.Retire();
        return idle;
    }
}
