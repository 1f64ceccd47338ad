using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Simulator.Output;

/// <summary>Whole cents as people read them.</summary>
public static class Money
{
    public static string Format(long cents) => Cents.Format(cents);

    /// <summary>Whole dollars: 1234500 is "$12,345".</summary>
    public static string Dollars(long cents) => Cents.Format(cents / 100 * 100)[..^3];

    public static string Percent(int basisPoints) => $"{basisPoints / 100}.{basisPoints % 100 / 10}%";

    public static string TimeLeft(TimeSpan left) =>
        left <= TimeSpan.Zero ? "ending" : left.TotalDays >= 1 ? $"{(int)left.TotalDays}d {left.Hours:D2}h" : left.TotalHours >= 1 ? $"{(int)left.TotalHours}h {left.Minutes:D2}m" : $"{(int)left.TotalMinutes}m {left.Seconds:D2}s";
}
