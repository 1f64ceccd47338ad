using System.Security.Cryptography;
using System.Text;
using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Redis;

/// <summary>
/// Who may do what in Redis: each service connects as its own ACL user, limited to the keys and
/// pub/sub channels under its own prefix ("auction:…") and the shared clock's (ClockStore: the
/// "clock" key and channel, "clock:{clock}:request:…"), and to the kinds of command it uses (reads,
/// writes, scripts, pub/sub, transactions); nothing that reconfigures, flushes, lists or counts the
/// whole server, and no database but 0. An "admin" user has everything, for operators. The passwords and the ACL file live in
/// the key ring directory, made by <see cref="Initialize"/>; Redis loads that file at start
/// (deploy/redis/start.sh, docker-compose.yml), so no user is made on a running server.
/// </summary>
public static class RedisAccess
{
    public const string Admin = "admin";
    public const string AclFile = "redis-users.acl";

    /// <summary>The services' users, one per service, named after it.</summary>
    public static IReadOnlyList<string> ServiceUsers => Signers.Services;

    /// <summary>The ACL rules of a service's user, after its password.</summary>
    public static string Rules(string service) =>
        $"resetkeys ~{service}:* ~{ClockStore.Key} ~{ClockStore.RequestPrefix}* resetchannels &{service}:* &{ClockStore.ChannelName} " +
        "-@all +@read +@write +@keyspace +@scripting +@pubsub +@transaction +@connection " +
        // Everything that can reconfigure, flush, list or watch the whole server goes again…
        "-@dangerous -@admin -function -script|flush -script|kill " +
        // …and whatever lists, counts or samples the whole keyspace or its channels, or reaches
        // another database (key names carry dealer and request ids; only database 0 is used)…
        "-scan -randomkey -dbsize -select +select|0 -move -copy " +
        "-pubsub|channels -pubsub|numsub -pubsub|numpat -pubsub|shardchannels -pubsub|shardnumsub " +
        // …except what the client library asks on connecting (server version, topology) and the
        // persistence health check reads: INFO (its keyspace section counts keys, and names none).
        "+info +cluster|nodes +cluster|slots";

    /// <summary>
    /// The default user: off, so nobody connects or logs in as it, yet holding every right. Redis
    /// replays its append-only file as this user, and Redis 7.0-7.2 check each command of a
    /// MULTI/EXEC block (how a script with several writes is logged) against its rights: without
    /// them every such block is refused and Redis starts without it (redis/redis#14541). It has no
    /// password, so even turned on nobody could log in as it.
    /// </summary>
    public const string DefaultUser = "user default off resetkeys ~* resetchannels &* +@all";

    public static string PasswordFile(string directory, string user) => Path.Combine(directory, $"redis-{user}.password");

    /// <summary>Makes a password for the admin and each service that has none, and writes the ACL file Redis loads (hashes only).</summary>
    public static void Initialize(string directory)
    {
        Directory.CreateDirectory(directory);
        var lines = new List<string> { DefaultUser };
        foreach (var user in ServiceUsers.Prepend(Admin))
        {
            var passwordFile = PasswordFile(directory, user);
            if (!File.Exists(passwordFile))
            {
                File.WriteAllText(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReadPassword(directory, user))));
            lines.Add(user == Admin ? $"user {Admin} on #{hash} ~* &* +@all" : $"user {user} on #{hash} {Rules(user)}");
        }
        File.WriteAllLines(Path.Combine(directory, AclFile), lines);
    }

    public static string ReadPassword(string directory, string user) => File.ReadAllText(PasswordFile(directory, user)).Trim();

    /// <summary>
    /// Connection options for <paramref name="configuration"/> as <paramref name="user"/> (null: as
    /// the configuration says), asking nothing outside that user's keys and commands.
    /// </summary>
    public static ConfigurationOptions OptionsFor(string configuration, string? user, string? password)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (!string.IsNullOrWhiteSpace(user))
            options.User = user;
        if (!string.IsNullOrWhiteSpace(password))
            options.Password = password;
        // No tie-breaker key and no configuration channel (both outside every service's prefix),
        // no CONFIG (a service's user may not): the client does without them.
        options.TieBreaker = "";
        options.ConfigurationChannel = "";
        options.CommandMap = CommandMap.Create(new HashSet<string> { "CONFIG" }, available: false);
        // The client counts INFO (read for the persistence health check) as an admin command; what
        // a user may run is the ACL's to say, on the server.
        options.AllowAdmin = true;
        return options;
    }

    /// <summary>Connection options for a service's user, its password read from the key ring <paramref name="directory"/>.</summary>
    public static ConfigurationOptions OptionsForService(string configuration, string directory, string user) =>
        OptionsFor(configuration, user, ReadPassword(directory, user));
}
