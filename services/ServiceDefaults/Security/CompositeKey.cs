using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Keys made of parts a caller may choose (its subject, a request id): every part is written with
/// its length before it, so no choice of parts spells another caller's key ("a:b" + "c" and "a" +
/// "b:c" differ). The one way to build an idempotency, answer or per-caller key.
/// </summary>
public static class CompositeKey
{
    /// <summary>"&lt;length&gt;:&lt;part&gt;" for each part, in order.</summary>
    public static string Of(params ReadOnlySpan<string> parts)
    {
        var key = new StringBuilder();
        foreach (var part in parts)
            key.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
        return key.ToString();
    }

    /// <summary>The same key as <see cref="Of(ReadOnlySpan{string})"/>, hashed to 32 hex characters: for keys that must have a fixed length.</summary>
    public static string Hashed(params ReadOnlySpan<string> parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(parts))))[..32];

    /// <summary>The key of one caller (role and subject), for per-caller limits and records.</summary>
    public static string Of(Caller caller) => Of(caller.Role, caller.Subject);
}
