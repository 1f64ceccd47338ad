using System.Text;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// A caller's id (a dealer's, inspector's, carrier's or the remarketing center's: a token's
/// subject, or a request field naming one) has one spelling: visible ASCII only (letters, digits
/// and signs, no space, no control or format character such as a zero-width space), with no
/// lower-case letter; so it is also trimmed and in Unicode NFC. Two spellings of one id would be
/// two callers: a dealer could bid on its own listing as "aud3-agd1" or "AUD3-AGD1\u200B".
/// Services are named by their signer names ("quote").
/// </summary>
public static class CallerIds
{
    /// <summary>The id as it is to be written (trimmed, upper case): what /dev/token issues for what it is asked.</summary>
    public static string Canonical(string id) => id.Trim().ToUpperInvariant();

    /// <summary>Null when <paramref name="id"/> is written canonically; otherwise what is wrong with it.</summary>
    public static string? Problem(string id)
    {
        foreach (var character in id.EnumerateRunes())
        {
            if (character.Value is < '!' or > '~')
                return $"the id '{id}' holds {Describe(character)}: an id is visible ASCII (letters, digits and signs, no space)";
        }

        var canonical = Canonical(id);
        return canonical == id ? null : $"the id '{id}' is not written as ids are (upper case): '{canonical}'";
    }

    private static string Describe(Rune character) =>
        Rune.IsWhiteSpace(character) ? $"a space (U+{character.Value:X4})"
        : Rune.IsControl(character) || Rune.GetUnicodeCategory(character) == System.Globalization.UnicodeCategory.Format ? $"an invisible character (U+{character.Value:X4})"
        : $"the character U+{character.Value:X4}";
}
