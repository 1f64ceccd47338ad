using Remarketing.ServiceDefaults.Domain;

namespace Remarketing.Testing;

/// <summary>Valid VINs (right check digit) for test vehicles, a new one each call.</summary>
public static class TestVins
{
    private static int _serial = 100_000;

    public static string Next()
    {
        var serial = Interlocked.Increment(ref _serial);
        var body = $"1HGCV1F3_PA{serial:D6}";
        return "0123456789X".Select(digit => body.Replace('_', digit)).Single(vin => Vin.Problem(vin) is null);
    }
}
