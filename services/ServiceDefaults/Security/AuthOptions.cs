using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Token validation (every service and the gateway) and signing (the gateway's local
/// /dev/token endpoint and service-to-service tokens). HMAC-SHA256 with one shared key.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Required]
    public string Issuer { get; set; } = "remarketing";

    [Required]
    public string Audience { get; set; } = "remarketing";

    /// <summary>Base64 of at least 32 random bytes. Never committed: run.sh generates one under .data/.</summary>
    [Required(ErrorMessage = "Auth:SigningKey is required: base64 of at least 32 random bytes (run.sh generates one).")]
    public string SigningKey { get; set; } = "";

    /// <summary>Lifetime of the tokens this process signs.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public byte[] SigningKeyBytes()
    {
        try
        {
            return Convert.FromBase64String(SigningKey);
        }
        catch (FormatException)
        {
            throw new OptionsException("Auth:SigningKey is not base64.");
        }
    }

    public sealed class OptionsException(string message) : Exception(message);
}
