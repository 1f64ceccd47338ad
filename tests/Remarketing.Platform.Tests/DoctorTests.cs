using Remarketing.Auction.Engine;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>The doctor, run as an operator runs it (the built tool, as Redis' admin), against Redis as shipped.</summary>
[Trait("Category", "System")]
public sealed class DoctorTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartLocalAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task OnSoundData_AllIsWell_ExitCode0()
    {
        var (exit, printed) = await DoctorAsync();

        Assert.Equal(0, exit);
        Assert.Matches("^Redis 127.0.0.1:\\d+: append-only file on, last write ok", printed);
        Assert.Contains("hand-offs: quote 0 pending, 0 failed; inspection 0 pending, 0 failed; auction 0 pending, 0 failed; transport 0 pending, 0 failed", printed);
        Assert.Contains("listings (every one in Redis): no breach", printed);
        Assert.Contains("doctor: all is well", printed);
    }

    [Fact]
    public async Task AListingNoIndexNamesAnyMore_IsFound_AndNamed_ExitCode1()
    {
        // What a lost close leaves: the listing's state back at live, in no index, its vehicle unclaimed.
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration))
        {
            await admin.GetDatabase().HashSetAsync(AuctionKeys.State("L-ZOMBIE"),
                [new(ListingSchema.Field.Status, ListingSchema.Status.Live), new(ListingSchema.Field.Vin, "1HGCV1F3XPA000001")]);
        }

        var (exit, printed) = await DoctorAsync();

        Assert.Equal(1, exit);
        Assert.Contains("listings (every one in Redis): 3 breaches", printed);
        Assert.Contains("  listing L-ZOMBIE: live but not in the closing index: it would never close", printed);
        Assert.Contains("  listing L-ZOMBIE: live but VIN 1HGCV1F3XPA000001 is claimed by no listing: it could be listed, and sold, again", printed);
        Assert.Contains("doctor: 3 things need a person", printed);
    }

    [Fact]
    public async Task WithNoRedisAnswering_ItSaysSo_ExitCode2()
    {
        var nothing = $"127.0.0.1:{FreePort.Next()}";

        var (exit, printed) = await DoctorAsync(nothing);

        Assert.Equal(2, exit);
        Assert.Equal($"Redis at {nothing} does not answer (UnableToConnect): is the system running (./run.sh)?", printed.Trim());
    }

    private async Task<(int Exit, string Printed)> DoctorAsync(string? redisAddress = null)
    {
        var (exitCode, printed, errors) = await Programs.RunAsync("dotnet",
            RepositoryLayout.BuiltAssembly("Remarketing.Keys"), "doctor", _redis.KeysDirectory, "--redis", redisAddress ?? _redis.Address);
        return (exitCode, printed + errors);
    }
}
