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

    /// <summary>
    /// Replicas that must hold a write before it is acknowledged (WAIT; <see cref="WriteAcknowledgement"/>):
    /// 0 for one Redis, 1 on Redis Cluster or with replicas, so failing over to a replica loses nothing acknowledged.
    /// </summary>
    [Range(0, 5)]
    public int ReplicasToAcknowledge { get; set; }

    /// <summary>How long a write waits for its replicas before the caller is told Unavailable (and retries with the same request id).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
