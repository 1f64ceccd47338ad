using System.Globalization;

namespace Remarketing.Web;

/// <summary>Whole cents, as a person writes and reads them: "$12,345.67".</summary>
public static class Money
{
    public static string Format(long cents) =>
        (cents < 0 ? "-$" : "$") + (Math.Abs(cents) / 100).ToString("N0", CultureInfo.InvariantCulture) + "." + (Math.Abs(cents) % 100).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Dollars as typed ("12100", "12,100.50", "$12,100"), to whole cents; null when it is not an
    /// amount. Read digit by digit: no floating point between the page and the cent.
    /// </summary>
    public static long? ParseDollars(string? text)
    {
        var plain = (text ?? "").Trim().TrimStart('$').Replace(",", "", StringComparison.Ordinal);
        var parts = plain.Split('.');
        if (parts.Length > 2 || parts[0].Length is 0 or > 10 || !parts[0].All(char.IsAsciiDigit))
            return null;
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (fraction.Length > 2 || !fraction.All(char.IsAsciiDigit))
            return null;
        return (long.Parse(parts[0], CultureInfo.InvariantCulture) * 100) + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
    }
}
