namespace Remarketing.ServiceDefaults.Clock;

/// <summary>What a SetClock call asks: a new speed, a jump forward, or both (null: not asked).</summary>
public sealed record ClockChange(double? Speed, TimeSpan? Advance);
