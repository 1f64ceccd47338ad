using Google.Protobuf.WellKnownTypes;
using Remarketing.Auction;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Limits;

namespace Remarketing.Platform.Tests;

/// <summary>Every request's ids, text, lists, Durations and Timestamps are bounded before any handler sees them.</summary>
public sealed class MessageLimitsTests(InMemoryService<AuctionGrpcService> auction) : IClassFixture<InMemoryService<AuctionGrpcService>>
{
    private AuctionService.AuctionServiceClient Client => new(auction.Channel);

    [Fact]
    public async Task AListingIdOf4000Characters_IsInvalidArgument_NamingTheFieldAndTheLimit()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.PlaceBidAsync(
            new PlaceBidRequest { ListingId = new string('L', 4_000), BidId = "b-1", AmountCents = 100_00 }, auction.Tokens.Forwarded("D-1", RoleNames.Buyer)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Equal("listing_id is 4,000 characters long; at most 128 are accepted", failure.Status.Detail);
    }

    [Fact]
    public async Task ADurationOutOfProtobufsRange_IsInvalidArgument_NotInternal()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => Client.CreateListingAsync(new CreateListingRequest
        {
            RequestId = "r-1",
            Vin = TestVins.Next(),
            GroundingDealerId = "D-1",
            Duration = new Duration { Seconds = long.MaxValue },
        }, auction.Tokens.Forwarded("RC-1", RoleNames.Remarketing)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("duration is not a valid duration", failure.Status.Detail);
    }

    [Fact]
    public async Task ABidStreamMessageOutsideTheLimits_EndsTheStreamWithInvalidArgument()
    {
        using var stream = Client.BidStream(auction.Tokens.Forwarded("D-2", RoleNames.Buyer));
        await stream.RequestStream.WriteAsync(new PlaceBidRequest { ListingId = "L-1", BidId = new string('b', 129), AmountCents = 100_00 });

        var failure = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);
        Assert.Contains("bid_id is 129 characters long", failure.Status.Detail);
    }

    [Fact]
    public void AnIdNamingACaller_WrittenAnotherWay_IsNamed_AndItsCanonicalSpellingPasses()
    {
        // A listing whose grounding dealer is "aud3-agd1" would let the dealer AUD3-AGD1 bid on it as another dealer.
        var lowerCase = new Contracts.Auction.V1.CreateListingRequest { RequestId = "r", GroundingDealerId = "aud3-agd1" };
        var invisible = new RegisterDealerRequest { RequestId = "r", DealerId = "AUD3-AGD1\u200B" };

        Assert.Equal("grounding_dealer_id: the id 'aud3-agd1' is not written as ids are (upper case): 'AUD3-AGD1'", MessageLimits.Problem(lowerCase));
        Assert.StartsWith("dealer_id: the id 'AUD3-AGD1\u200B' holds an invisible character (U+200B)", MessageLimits.Problem(invisible));
        Assert.Null(MessageLimits.Problem(new RegisterDealerRequest { RequestId = "request-ids-may-be-lower-case", DealerId = "AUD3-AGD1" }));
    }

    [Fact]
    public void ARepeatedFieldOver200Items_NestedTextOver2000Characters_AndABadTimestamp_AreNamed()
    {
        var tooMany = new RecordInspectionResultRequest();
        tooMany.ExcessWear.Add(Enumerable.Range(0, 201).Select(i => new ExcessWearItem { Description = $"dent {i}" }));
        var longText = new RecordInspectionResultRequest { ExcessWear = { new ExcessWearItem { Description = new string('x', 2_001) } } };
        var badTime = new RecordInspectionResultRequest { InspectedAt = new Timestamp { Seconds = 1, Nanos = -1 } };

        Assert.Equal("excess_wear has 201 items; at most 200 are accepted", MessageLimits.Problem(tooMany));
        Assert.Equal("excess_wear[0].description is 2,001 characters long; at most 2,000 are accepted", MessageLimits.Problem(longText));
        Assert.StartsWith("inspected_at is not a valid timestamp", MessageLimits.Problem(badTime));
        Assert.Null(MessageLimits.Problem(new RecordInspectionResultRequest { CaseId = new string('c', 128), InspectedAt = Timestamp.FromDateTime(DateTime.UtcNow) }));
    }
}
