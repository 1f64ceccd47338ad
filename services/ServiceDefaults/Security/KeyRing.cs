using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// The token keys in one directory: <c>jwks.json</c> holds every signer's public keys (a JWKS,
/// key ids "&lt;signer&gt;.&lt;version&gt;", the version being the creation time in ms), and <c>&lt;key id&gt;.pem</c> a signer's private key, which
/// only that signer's process is given. A verifier re-reads jwks.json when it has changed (looking
/// at most every <see cref="ReloadAtMostEvery"/>), so a rotated key is accepted and a retired one
/// refused without a restart. Its time is real time (a <see cref="TimeProvider"/> only so tests
/// can move it), never the shared clock.
/// </summary>
public sealed class KeyRing
{
    public const string JwksFile = "jwks.json";
    public static readonly TimeSpan ReloadAtMostEvery = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly string _directory;
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, SecurityKey> _publicKeys;
    private readonly TimeProvider _time;
    private DateTime _fileWrittenAt;
    private long _lookedAt;

    private KeyRing(string directory, TimeProvider time)
    {
        _directory = directory;
        _time = time;
        _fileWrittenAt = File.GetLastWriteTimeUtc(JwksPath);
        _publicKeys = ReadPublicKeys(directory);
        _lookedAt = time.GetTimestamp();
    }

    private string JwksPath => Path.Combine(_directory, JwksFile);

    /// <param name="time">Real time by default; a test's fake one to move past <see cref="ReloadAtMostEvery"/>.</param>
    public static KeyRing Load(string directory, TimeProvider? time = null)
    {
        if (!File.Exists(Path.Combine(directory, JwksFile)))
            throw new InvalidOperationException($"no {JwksFile} in '{directory}': make the keys first (run.sh does: Remarketing.Keys init <directory>)");
        return new KeyRing(directory, time ?? TimeProvider.System);
    }

    /// <summary>The public keys under <paramref name="keyId"/> if its signer is one of <paramref name="trusted"/>.</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId, IReadOnlySet<string> trusted)
    {
        if (string.IsNullOrEmpty(keyId) || !trusted.Contains(Signers.OfKeyId(keyId)))
            return [];
        return CurrentKeys().TryGetValue(keyId, out var key) ? [key] : [];
    }

    /// <summary>True while jwks.json still lists <paramref name="keyId"/>: a retired key's tokens stop working even if validated before.</summary>
    public bool IsCurrent(string keyId) => CurrentKeys().ContainsKey(keyId);

    /// <summary>The signer's newest private key, to sign with.</summary>
    public SigningCredentials SigningCredentialsOf(string signer)
    {
        var newest = Directory.EnumerateFiles(_directory, $"{signer}.*.pem").Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"no private key of '{signer}' in '{_directory}' (expected {signer}.<version>.pem)");
        var keyId = Path.GetFileNameWithoutExtension(newest);
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(newest));
        return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>Makes a key pair for every signer in <paramref name="signers"/> that has none; keeps the ones that exist.</summary>
    public static void Initialize(string directory, IEnumerable<string> signers)
    {
        Directory.CreateDirectory(directory);
        foreach (var signer in signers)
        {
            if (!Directory.EnumerateFiles(directory, $"{signer}.*.pem").Any())
                AddKey(directory, signer);
        }
    }

    /// <summary>A new key pair for <paramref name="signer"/>; its old public keys stay in jwks.json until retired. Returns the new key id.</summary>
    public static string AddKey(string directory, string signer)
    {
        if (!Signers.All.Contains(signer))
            throw new ArgumentException($"unknown signer '{signer}'; signers: {string.Join(", ", Signers.All)}", nameof(signer));
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = ReadJwks(directory);
        // The version is the creation time in ms: a signer signs with the highest, so a new key must sort after every older one.
        var version = long.Parse(DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var existing in keys.Where(key => Signers.OfKeyId(key.Kid) == signer))
        {
            if (long.TryParse(existing.Kid.Split('.', 2)[1], out var older) && older >= version)
                version = older + 1;
        }
        var keyId = $"{signer}.{version}";
        var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        keys.Add(new Jwk("EC", "P-256", Base64UrlEncoder.Encode(point.X), Base64UrlEncoder.Encode(point.Y), keyId, "sig", SecurityAlgorithms.EcdsaSha256));

        var privateKey = Path.Combine(directory, $"{keyId}.pem");
        File.WriteAllText(privateKey, ecdsa.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(privateKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteJwks(directory, keys);
        return keyId;
    }

    /// <summary>Removes a key: its public half from jwks.json (tokens it signed are refused from then on) and its private half.</summary>
    public static void Retire(string directory, string keyId)
    {
        var keys = ReadJwks(directory);
        if (keys.RemoveAll(key => key.Kid == keyId) == 0)
            throw new ArgumentException($"no key '{keyId}' in {JwksFile}", nameof(keyId));
        WriteJwks(directory, keys);
        File.Delete(Path.Combine(directory, $"{keyId}.pem"));
    }

    /// <summary>The key ids in jwks.json, oldest first within each signer.</summary>
    public static IReadOnlyList<string> KeyIds(string directory) => [.. ReadJwks(directory).Select(key => key.Kid).Order(StringComparer.Ordinal)];

    private IReadOnlyDictionary<string, SecurityKey> CurrentKeys()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Volatile.Read(ref _lookedAt), now) < ReloadAtMostEvery)
            return _publicKeys;
        lock (_lock)
        {
            if (_time.GetElapsedTime(_lookedAt, now) < ReloadAtMostEvery)
                return _publicKeys;
            Volatile.Write(ref _lookedAt, now);
            try
            {
                var writtenAt = File.GetLastWriteTimeUtc(JwksPath);
                if (writtenAt != _fileWrittenAt)
                {
                    _publicKeys = ReadPublicKeys(_directory);
                    _fileWrittenAt = writtenAt;
                }
            }
            catch (Exception exception) when (exception is IOException or JsonException or ArgumentException)
            {
                // Unreadable for a moment: keep the keys we have and look again later.
            }

            return _publicKeys;
        }
    }

    private static Dictionary<string, SecurityKey> ReadPublicKeys(string directory) =>
        new JsonWebKeySet(File.ReadAllText(Path.Combine(directory, JwksFile))).Keys
            .Where(key => key.Kty == "EC" && key.Crv == "P-256" && !string.IsNullOrEmpty(key.Kid))
            .ToDictionary(key => key.Kid, SecurityKey (key) => key, StringComparer.Ordinal);

    private static List<Jwk> ReadJwks(string directory)
    {
        var path = Path.Combine(directory, JwksFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<JwkSet>(File.ReadAllText(path))?.Keys ?? [] : [];
    }

    private static void WriteJwks(string directory, List<Jwk> keys)
    {
        // Written beside and moved into place, so a verifier never reads half a file.
        var path = Path.Combine(directory, JwksFile);
        var temporary = path + ".new";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new JwkSet(keys), Indented));
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record JwkSet([property: JsonPropertyName("keys")] List<Jwk> Keys);

    private sealed record Jwk(
        [property: JsonPropertyName("kty")] string Kty,
        [property: JsonPropertyName("crv")] string Crv,
        [property: JsonPropertyName("x")] string X,
        [property: JsonPropertyName("y")] string Y,
        [property: JsonPropertyName("kid")] string Kid,
        [property: JsonPropertyName("use")] string Use,
        [property: JsonPropertyName("alg")] string Alg);
}
