using System.ComponentModel.DataAnnotations;

namespace Remarketing.ServiceDefaults.Redis;

public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. "127.0.0.1:6379".</summary>
    [Required(ErrorMessage = "Redis:Configuration is required, e.g. \"127.0.0.1:6379\".")]
    public string Configuration { get; set; } = "";

    /// <summary>The ACL user to connect as: the service's own (run.sh and compose set it).</summary>
    public string? User { get; set; }

    /// <summary>A file holding that user's password (the key ring's redis-&lt;user&gt;.password).</summary>
    public string? PasswordFile { get; set; }
}
