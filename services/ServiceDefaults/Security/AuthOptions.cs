using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>Tokens: which this process accepts, and as whom it signs the ones it issues.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The key ring: jwks.json (every signer's public keys) and this process's own private key. run.sh makes it under .data/keys.</summary>
    [Required(ErrorMessage = "Auth:KeysDirectory is required: the directory with jwks.json and this process's private key (run.sh makes one under .data/keys).")]
    public string KeysDirectory { get; set; } = "";

    /// <summary>Who this process signs as: "gateway", or the service's own name ("quote", "auction", ...).</summary>
    [Required(ErrorMessage = "Auth:Signer is required: 'gateway' or the service's name.")]
    public string Signer { get; set; } = "";

    /// <summary>
    /// The tokens this process accepts: "remarketing" (the gateway: callers' tokens from the
    /// identity provider) or "remarketing-services" (services: the gateway's forwarded identities
    /// and other services' tokens; a caller's own token is refused).
    /// </summary>
    public string Audience { get; set; } = Signers.ServicesAudience;

    /// <summary>Tokens that live longer than this (from issue to expiry) are refused, however valid their signature.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Lifetime of the tokens POST /dev/token signs (the local profile's identity provider).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
