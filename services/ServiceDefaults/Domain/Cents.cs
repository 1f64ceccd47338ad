using System.Globalization;

namespace Remarketing.ServiceDefaults.Domain;

/// <summary>Money is whole cents in a long; this only writes it for people: 1210000 is "$12,100.00".</summary>
public static class Cents
{
    public static string Format(long cents)
    {
        var sign = cents < 0 ? "-" : "";
        var magnitude = Math.Abs((decimal)cents) / 100m;
        return sign + "$" + magnitude.ToString("N2", CultureInfo.InvariantCulture);
    }
}
