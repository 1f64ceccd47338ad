using System.CommandLine;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;

// The token key ring: one ES256 key pair per signer, the public halves in jwks.json.
var directory = new Argument<DirectoryInfo>("directory") { Description = "the key ring's directory (run.sh: .data/keys)" };

var init = new Command("init", "Make a key pair for every signer and a Redis password for every Redis user that has none (keeps existing ones), and write the Redis ACL file.") { directory };
init.SetAction(parsed =>
{
    var path = parsed.GetValue(directory)!.FullName;
    KeyRing.Initialize(path, Signers.All);
    RedisAccess.Initialize(path);
    Console.WriteLine($"key ring in {path}: {string.Join(", ", KeyRing.KeyIds(path))}; Redis users in {RedisAccess.AclFile}");
});

var signer = new Argument<string>("signer") { Description = $"one of: {string.Join(", ", Signers.All)}" };
var rotate = new Command("rotate", "Add a new key pair for a signer. Verifiers accept it at once; restart the signer to sign with it; retire the old key once its tokens have expired.") { directory, signer };
rotate.SetAction(parsed => Console.WriteLine($"new key {KeyRing.AddKey(parsed.GetValue(directory)!.FullName, parsed.GetValue(signer)!)}"));

var keyId = new Argument<string>("key-id") { Description = "a key id from 'list'" };
var retire = new Command("retire", "Remove a key: tokens it signed are refused from then on.") { directory, keyId };
retire.SetAction(parsed =>
{
    KeyRing.Retire(parsed.GetValue(directory)!.FullName, parsed.GetValue(keyId)!);
    Console.WriteLine($"retired {parsed.GetValue(keyId)}");
});

var list = new Command("list", "The key ids in jwks.json.") { directory };
list.SetAction(parsed =>
{
    foreach (var id in KeyRing.KeyIds(parsed.GetValue(directory)!.FullName))
        Console.WriteLine(id);
});

var subject = new Option<string>("--subject") { Description = "the dealer, inspector or carrier id the token speaks for", Required = true };
var role = new Option<string>("--role") { Description = $"one of: {string.Join(", ", RoleNames.All.Where(name => name != RoleNames.Service))}", Required = true };
var lifetime = new Option<TimeSpan>("--lifetime") { Description = "how long the token is valid", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
var token = new Command("token", "Sign a caller's token with the identity key, for the gateway (scripts, containers without /dev/token).") { directory, subject, role, lifetime };
token.SetAction(parsed =>
{
    var issuer = new TokenIssuer(KeyRing.Load(parsed.GetValue(directory)!.FullName), Signers.Identity);
    Console.WriteLine(issuer.Issue(parsed.GetValue(subject)!, parsed.GetValue(role)!, Signers.PublicAudience, parsed.GetValue(lifetime)));
});

var redisAddress = new Option<string>("--redis") { Description = "Redis' address, host:port", DefaultValueFactory = _ => "127.0.0.1:6379" };
var doctor = new Command("doctor", "Check a running system's data as Redis' admin: Redis' persistence, each service's hand-offs, and every service's invariants (every listing's state against its indexes and its vehicle's claim, …). Changes nothing; exit code 1 when anything needs a person.") { directory, redisAddress };
doctor.SetAction((parsed, _) => Remarketing.Keys.Doctor.RunAsync(parsed.GetValue(directory)!.FullName, parsed.GetValue(redisAddress)!, Console.Out));

var migrate = new Command("migrate", "Move the keys an earlier version wrote to where this version reads them, as Redis' admin (run.sh runs it before the services start). Moves nothing the second time; exit code 1 when a key's new name is taken.") { directory, redisAddress };
migrate.SetAction((parsed, _) => Remarketing.Keys.KeyLayout.RunAsync(parsed.GetValue(directory)!.FullName, parsed.GetValue(redisAddress)!, Console.Out));

var root = new RootCommand("Remarketing's operator tool: the secrets (the token key ring, one ES256 key pair per signer: identity, gateway, each service; the Redis users' passwords) and the doctor.")
{
    init, rotate, retire, list, token, doctor, migrate,
};
return root.Parse(args).Invoke();
