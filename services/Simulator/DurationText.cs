using System.Globalization;

namespace Remarketing.Simulator;

/// <summary>Simulated durations on the command line: "6d", "12h", "90m", "1.5d", or a TimeSpan ("1.12:00:00").</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && char.IsAsciiLetter(trimmed[^1])
            && double.TryParse(trimmed[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? parsed = char.ToLowerInvariant(trimmed[^1]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                's' => TimeSpan.FromSeconds(amount),
                _ => null,
            };
            if (parsed is null)
                return false;
            duration = parsed.Value;
            return true;
        }
        return TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out duration);
    }

    /// <summary>The shortest of those forms that says <paramref name="duration"/> exactly: 1h, 90m, 2d, 45s.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 ? $"{duration.Ticks / TimeSpan.TicksPerDay}d"
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{duration.Ticks / TimeSpan.TicksPerHour}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{duration.Ticks / TimeSpan.TicksPerMinute}m"
        : duration.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{duration.Ticks / TimeSpan.TicksPerSecond}s"
        : duration.ToString("c", CultureInfo.InvariantCulture);
}
