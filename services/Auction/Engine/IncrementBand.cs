namespace Remarketing.Auction.Engine;

/// <summary>One band: prices below <see cref="BelowCents"/> (0 = no upper bound, the last band) rise by <see cref="StepCents"/>.</summary>
public sealed class IncrementBand
{
    public long BelowCents { get; set; }

    public long StepCents { get; set; }
}
