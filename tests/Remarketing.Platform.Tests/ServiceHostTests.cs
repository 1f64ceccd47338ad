using Grpc.Health.V1;
using Remarketing.Auction;

namespace Remarketing.Platform.Tests;

/// <summary>What every service host does before any domain code runs, shown on the Auction host in memory.</summary>
public class ServiceHostTests(InMemoryService<AuctionGrpcService> auction) : IClassFixture<InMemoryService<AuctionGrpcService>>
{
    private AuctionService.AuctionServiceClient Client => new(auction.Channel);

    [Fact]
    public async Task CallWithoutToken_IsUnauthenticated()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.GetListingAsync(new GetListingRequest { ListingId = "L-1" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
        Assert.Contains("authorization: Bearer", failure.Status.Detail);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKey_IsUnauthenticated()
    {
        var forged = new TestTokens().Forwarded("D-100", RoleNames.Buyer);

        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.GetListingAsync(new GetListingRequest { ListingId = "L-1" }, forged).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
        Assert.Contains("signature", failure.Status.Detail);
    }

    [Fact]
    public async Task RoleTheOperationDoesNotName_IsPermissionDenied()
    {
        var groundingDealer = auction.Tokens.Forwarded("D-200", RoleNames.GroundingDealer);

        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.PlaceBidAsync(
            new PlaceBidRequest { ListingId = "L-1", BidId = "b-1", AmountCents = 100_00 }, groundingDealer).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Equal("role 'grounding_dealer' may not call remarketing.auction.v1.AuctionService/PlaceBid; allowed: buyer", failure.Status.Detail);
    }

    [Fact]
    public async Task MessageOver64KiB_IsResourceExhausted()
    {
        var buyer = auction.Tokens.Forwarded("D-400", RoleNames.Buyer);
        var oversized = new PlaceBidRequest { ListingId = "L-1", BidId = new string('x', 65 * 1024), AmountCents = 100_00 };

        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.PlaceBidAsync(oversized, buyer).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
    }

    [Fact]
    public async Task Health_AnswersWithoutToken_AndChecksRedis()
    {
        var reply = await new Health.HealthClient(auction.Channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task SharedClock_IsServed()
    {
        var inspector = auction.Tokens.Forwarded("I-1", RoleNames.Inspector);
        var before = DateTimeOffset.UtcNow;

        var reading = await new ClockService.ClockServiceClient(auction.Channel).GetClockAsync(new GetClockRequest(), inspector);

        Assert.Equal(1, reading.Speed);
        Assert.InRange(reading.Now.ToDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task SetClock_WithoutClockControl_IsFailedPrecondition_AndTheClockStaysRealTime()
    {
        var center = auction.Tokens.Forwarded("RC-1", RoleNames.Remarketing);
        var clock = new ClockService.ClockServiceClient(auction.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => clock.SetClockAsync(new SetClockRequest { RequestId = "c-1", Speed = 1000 }, center).ResponseAsync);
        var reading = await clock.GetClockAsync(new GetClockRequest(), center);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("Clock:Control is off", refused.Status.Detail);
        Assert.Equal((1d, 0L), (reading.Speed, reading.Version));
    }
}
