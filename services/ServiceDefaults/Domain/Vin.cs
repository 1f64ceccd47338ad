namespace Remarketing.ServiceDefaults.Domain;

/// <summary>Vehicle identification numbers (49 CFR 565): 17 characters, no I, O or Q, and a check digit in position 9.</summary>
public static class Vin
{
    private static readonly int[] Weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    /// <summary>Null when <paramref name="vin"/> is valid; otherwise what is wrong with it, for the caller.</summary>
    public static string? Problem(string? vin)
    {
        if (string.IsNullOrWhiteSpace(vin))
            return "a VIN is required";
        if (vin.Length != 17)
            return $"a VIN has 17 characters; '{vin}' has {vin.Length}";

        var sum = 0;
        for (var i = 0; i < vin.Length; i++)
        {
            var value = Transliterate(vin[i]);
            if (value < 0)
                return $"'{vin[i]}' at position {i + 1} cannot stand in a VIN (letters I, O and Q never do)";
            sum += value * Weights[i];
        }

        var remainder = sum % 11;
        var expected = remainder == 10 ? 'X' : (char)('0' + remainder);
        return vin[8] == expected ? null : $"VIN {vin} fails its check digit: position 9 should be '{expected}'";
    }

    private static int Transliterate(char c) =>
        c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'H' => c - 'A' + 1,
            >= 'J' and <= 'N' => c - 'J' + 1,
            'P' => 7,
            'R' => 9,
            >= 'S' and <= 'Z' => c - 'S' + 2,
            _ => -1,
        };
}
