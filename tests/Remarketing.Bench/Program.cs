using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Remarketing.Auction;
using Remarketing.Auction.Engine;
using Remarketing.Bench;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Redis;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

// The Auction benchmark, against a system started with ./run.sh (see docs/benchmarks.md):
//   (a) redis-benchmark EVALSHA of the placement script, (b) PlaceBid direct to the Auction
//   service, (c) the same through the gateway, (c') through the gateway at half of (c)'s rate,
//   (d) fan-out to N WatchListing streams through the gateway, (e) memory per open stream.
var settings = BenchSettings.Parse(args);
var table = new List<(string Measure, string Value, string Note)>();
void Row(string measure, string value, string note = "")
{
    table.Add((measure, value, note));
    Console.Error.WriteLine($"  {measure}: {value} {note}");
}

// As the Auction service's own Redis user: the bench touches only the Auction's keys.
await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisAccess.OptionsForService(settings.Redis, settings.Keys, "auction"));
var keys = KeyRing.Load(settings.Keys);
var auctionOptions = Options.Create(new AuctionOptions());
using var outbox = new Outbox("auction");
var engine = new AuctionEngine(redis, TimeProvider.System, auctionOptions, new ListingHandOffs(outbox, auctionOptions));
var bench = new BenchRun(settings, redis, engine, keys);

Console.Error.WriteLine($"bench: {settings.Listings:N0} listings per phase, {settings.Concurrency} calls in flight, {settings.Seconds} s per phase, {settings.Watchers:N0} watchers");
try
{
    // Callers' own tokens through the gateway; straight at the service, what the gateway forwards for them.
    var tokens = bench.BuyerTokens(settings.Dealers, Signers.Identity);
    var forwarded = bench.BuyerTokens(settings.Dealers, Signers.Gateway);
    var directChannel = GrpcChannel.ForAddress(settings.Auction, BenchRun.ChannelOptions());
    var gatewayChannel = GrpcChannel.ForAddress(settings.Gateway, BenchRun.ChannelOptions());

    // One hot listing, random dealers and amounts: after the first few bids most are refused
    // below the minimum, but every call runs the whole script and stores its answer.
    var raw = await bench.RedisBenchmarkAsync();
    Row("(a) raw, one hot listing: redis-benchmark EVALSHA", $"{raw.PerSecond:N0} bids/s", $"{raw.Accepted:P1} accepted");
    var hotDirect = await bench.PlaceBidsAsync("HD", directChannel, forwarded, rate: 0, hot: true);
    Row("(b) PlaceBid direct, one hot listing", $"{hotDirect.PerSecond:N0} bids/s", $"p50 {hotDirect.P50:F2} ms, p99 {hotDirect.P99:F2} ms");
    var hotGateway = await bench.PlaceBidsAsync("HG", gatewayChannel, tokens, rate: 0, hot: true);
    Row("(c) PlaceBid through the gateway, one hot listing", $"{hotGateway.PerSecond:N0} bids/s", $"p50 {hotGateway.P50:F2} ms, p99 {hotGateway.P99:F2} ms");
    Row("ratio (b)/(a)", $"{hotDirect.PerSecond / raw.PerSecond:F2}", "target >= 0.5");
    Row("ratio (c)/(b)", $"{hotGateway.PerSecond / hotDirect.PerSecond:F2}", "target >= 0.6");

    // Many fresh listings: nearly every bid is a first or second bid and is accepted (log append, publish).
    var rawAccepted = await bench.RawScriptAsync("RA");
    Row("(a2) raw, accepted bids: EVALSHA from one client", $"{rawAccepted.PerSecond:N0} bids/s", $"p50 {rawAccepted.P50:F2} ms, p99 {rawAccepted.P99:F2} ms, {rawAccepted.Accepted:P0} accepted");
    var direct = await bench.PlaceBidsAsync("AD", directChannel, forwarded, rate: 0, hot: false);
    Row("(b2) PlaceBid direct, accepted bids", $"{direct.PerSecond:N0} bids/s", $"p50 {direct.P50:F2} ms, p99 {direct.P99:F2} ms, {direct.Accepted:P0} accepted");
    var gateway = await bench.PlaceBidsAsync("AG", gatewayChannel, tokens, rate: 0, hot: false);
    Row("(c2) PlaceBid through the gateway, accepted bids", $"{gateway.PerSecond:N0} bids/s", $"p50 {gateway.P50:F2} ms, p99 {gateway.P99:F2} ms, {gateway.Accepted:P0} accepted");
    var half = await bench.PlaceBidsAsync("AH", gatewayChannel, tokens, rate: gateway.PerSecond / 2, hot: false);
    Row("(c2') the gateway at half of (c2)'s rate", $"{half.PerSecond:N0} bids/s", $"p50 {half.P50:F2} ms, p99 {half.P99:F2} ms (target p99 <= 10 ms)");
    Row("ratio (b2)/(a2)", $"{direct.PerSecond / rawAccepted.PerSecond:F2}", "target >= 0.5");
    Row("ratio (c2)/(b2)", $"{gateway.PerSecond / direct.PerSecond:F2}", "target >= 0.6");

    var fanOut = await bench.FanOutAsync(tokens);
    Row($"(d) fan-out: {settings.Watchers:N0} watchers, {settings.BidRate} bids/s", $"p50 {fanOut.P50:F1} ms, p99 {fanOut.P99:F1} ms", $"{fanOut.Complete:N0}/{settings.Watchers:N0} watchers got all {fanOut.Events} events (target p99 <= 50 ms)");
    Row("(e) memory per open stream", $"{fanOut.BytesPerStream / 1024.0:F1} KiB", $"gateway {fanOut.GatewayBytes / 1024.0 / settings.Watchers:F1} + auction {fanOut.AuctionBytes / 1024.0 / settings.Watchers:F1} KiB (RSS growth; target <= 32 KiB)");
}
finally
{
    await bench.CleanUpAsync();
}

var width = table.Max(row => row.Measure.Length);
var valueWidth = table.Max(row => row.Value.Length);
Console.WriteLine($"| {"measure".PadRight(width)} | {"result".PadRight(valueWidth)} | notes |");
Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', valueWidth + 2)}|---|");
foreach (var (measure, value, note) in table)
    Console.WriteLine($"| {measure.PadRight(width)} | {value.PadRight(valueWidth)} | {note} |");
