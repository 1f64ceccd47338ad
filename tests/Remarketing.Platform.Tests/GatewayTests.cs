using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Remarketing.Contracts.Inspection.V1;
using Remarketing.Contracts.Quote.V1;
using Remarketing.Contracts.Transport.V1;

namespace Remarketing.Platform.Tests;

/// <summary>The gateway as clients meet it: real service and gateway processes on loopback.</summary>
[Trait("Category", "System")]
[Collection(SystemCollection.Name)]
public class GatewayTests(SystemFixture fixture)
{
    private RemarketingSystem System => fixture.System;

    private Metadata As(string subject, string role) => System.Tokens.Bearer(subject, role);

    [Fact]
    public async Task EveryService_IsRoutedToItsOwnBackend()
    {
        var channel = System.GatewayChannel();
        var remarketing = As("RC-1", RoleNames.Remarketing);

        // Each backend answers in its own words (or names the issue that builds it), so the answer shows which one it reached.
        var quote = await Assert.ThrowsAsync<RpcException>(() => new QuoteService.QuoteServiceClient(channel).GetLeaseAccountAsync(new GetLeaseAccountRequest { AccountId = "A-1" }, remarketing).ResponseAsync);
        var inspection = await Assert.ThrowsAsync<RpcException>(() => new InspectionService.InspectionServiceClient(channel).GetInspectionOrderAsync(new GetInspectionOrderRequest { OrderId = "O-1" }, remarketing).ResponseAsync);
        var auction = await Assert.ThrowsAsync<RpcException>(() => new AuctionService.AuctionServiceClient(channel).GetListingAsync(new GetListingRequest { ListingId = "L-1" }, remarketing).ResponseAsync);
        var transport = await Assert.ThrowsAsync<RpcException>(() => new TransportService.TransportServiceClient(channel).GetPickupOrderAsync(new GetPickupOrderRequest { OrderId = "P-1" }, remarketing).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "no lease account A-1"), (quote.StatusCode, quote.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "no inspection order O-1"), (inspection.StatusCode, inspection.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "no listing L-1"), (auction.StatusCode, auction.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "no pickup order P-1"), (transport.StatusCode, transport.Status.Detail));
        var clock = await new ClockService.ClockServiceClient(channel).GetClockAsync(new GetClockRequest(), remarketing);
        Assert.Equal(1, clock.Speed);
    }

    [Fact]
    public async Task UnaryCalls_LeaveNoWarningPerCall_InTheGatewaysLog()
    {
        var client = new AuctionService.AuctionServiceClient(System.GatewayChannel());
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAsync<RpcException>(() => client.GetListingAsync(new GetListingRequest { ListingId = $"L-QUIET-{i}" }, As("D-1", RoleNames.Buyer)).ResponseAsync);

        Assert.DoesNotContain("Unable to disable max request body size", System.OutputOf("gateway"));
    }

    [Fact]
    public async Task CallWithoutToken_IsUnauthenticated()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            new AuctionService.AuctionServiceClient(System.GatewayChannel()).GetListingAsync(new GetListingRequest { ListingId = "L-1" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
    }

    [Fact]
    public async Task CallInARoleTheOperationDoesNotName_IsPermissionDenied()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => new AuctionService.AuctionServiceClient(System.GatewayChannel())
            .CloseListingAsync(new CloseListingRequest { RequestId = "r-1", ListingId = "L-1", Reason = "test" }, As("D-1", RoleNames.Buyer)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, failure.StatusCode);
        Assert.Contains("allowed: remarketing", failure.Status.Detail);
    }

    [Theory]
    [InlineData("quote")]
    [InlineData("inspection")]
    [InlineData("auction")]
    [InlineData("transport")]
    public async Task ServicePortCalledDirectly_WithoutToken_IsUnauthenticated(string service)
    {
        var clock = new ClockService.ClockServiceClient(System.ServiceChannel(service));

        var failure = await Assert.ThrowsAsync<RpcException>(() => clock.GetClockAsync(new GetClockRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, failure.StatusCode);
    }

    [Fact]
    public async Task StateChangingCallsPastTheCallersBurst_AreResourceExhausted_OtherCallersUnaffected()
    {
        var auction = new AuctionService.AuctionServiceClient(System.GatewayChannel());
        var eager = As("D-RATE-LIMITED", RoleNames.Buyer);
        PlaceBidRequest Bid(int i) => new() { ListingId = "L-1", BidId = $"b-{i}", AmountCents = 100_00 };

        for (var i = 0; i < SystemFixture.RateLimitBurst; i++)
            await ReachesTheService(auction.PlaceBidAsync(Bid(i), eager));
        var limited = await Assert.ThrowsAsync<RpcException>(() => auction.PlaceBidAsync(Bid(99), eager).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Contains("rate limit", limited.Status.Detail);
        await ReachesTheService(auction.PlaceBidAsync(Bid(0), As("D-PATIENT", RoleNames.Buyer)));
        // Reads are not rate limited.
        await ReachesTheService(auction.GetListingAsync(new GetListingRequest { ListingId = "L-1" }, eager));
    }

    [Fact]
    public async Task MessageOver64KiB_IsRefusedAtTheGateway_BeforeItReachesAService()
    {
        var oversized = new PlaceBidRequest { ListingId = "L-1", BidId = new string('x', 65 * 1024), AmountCents = 100_00 };

        var failure = await Assert.ThrowsAsync<RpcException>(() => new AuctionService.AuctionServiceClient(System.GatewayChannel())
            .PlaceBidAsync(oversized, As("D-BIG", RoleNames.Buyer)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Equal("the request message is larger than 64 KiB, the most a call may carry", failure.Status.Detail);
    }

    [Theory]
    [InlineData(20_000)]
    [InlineData(60_000)]
    public async Task MetadataOverItsCap_IsResourceExhausted_AndTheConnectionGoesOn(int paddingBytes)
    {
        // A header field over Kestrel's default 16 KiB ended the whole connection (COMPRESSION_ERROR).
        var clock = new ClockService.ClockServiceClient(System.GatewayChannel());
        var padded = As("D-HEADERS", RoleNames.Buyer);
        padded.Add("x-padding", new string('a', paddingBytes));

        var refused = await Assert.ThrowsAsync<RpcException>(() => clock.GetClockAsync(new GetClockRequest(), padded).ResponseAsync);
        var next = await clock.GetClockAsync(new GetClockRequest(), As("D-HEADERS", RoleNames.Buyer));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Matches(@"^the call's metadata is [0-9.]+ KiB, more than the 16 KiB a call may carry", refused.Status.Detail);
        Assert.NotNull(next.Now);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 4, 0x0a, 0xff, 0xff, 0xff }, "is not a valid GetListingRequest message")]
    [InlineData(new byte[] { 0, 0, 0, 0, 3, 0x0a, 0x01, 0x41, 0, 0, 0, 0, 0 }, "is not one gRPC message")]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 0x0a, 0x01 }, "is not one gRPC message")]
    [InlineData(new byte[] { 2, 0, 0, 0, 2, 0x0a, 0x00 }, "frame flag is 2")]
    public async Task AMalformedRequest_IsInvalidArgument_AtTheGateway(byte[] body, string says)
    {
        // Bodies as sent: a bad message; a message and a second frame; a frame shorter than it says; a flag gRPC does not define.
        using var http = new HttpMessageInvoker(new SocketsHttpHandler());

        var status = await RawGrpcCall.SendAsync(http, System.GatewayGrpcAddress, "/remarketing.auction.v1.AuctionService/GetListing", body,
            System.Tokens.For("D-MALFORMED", RoleNames.Buyer), framed: false);

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains(says, status.Detail);
    }

    [Fact]
    public async Task ACompressedWatchListingRequest_ThatInflatesPastTheCap_IsNotItsEncoding_OrHasAnUnknownOne_IsRefused()
    {
        // The gateway's relay reads WatchListing's request itself (a gzip or deflate one is read:
        // AuctionStreamTests), and refuses what it cannot read before any stream starts.
        using var http = new HttpMessageInvoker(new SocketsHttpHandler());
        var token = System.Tokens.For("D-COMPRESSED", RoleNames.Buyer);
        // 1 MiB of zeros is a few KiB compressed: the relay stops inflating at the 64 KiB cap.
        var bomb = CompressedFrame(new byte[1024 * 1024]);
        var request = CompressedFrame(new WatchListingRequest { ListingId = "L-COMPRESSED" }.ToByteArray());
        Task<Status> Send(byte[] body, string encoding) =>
            RawGrpcCall.SendAsync(http, System.GatewayGrpcAddress, "/remarketing.auction.v1.AuctionService/WatchListing", body, token, framed: false, grpcEncoding: encoding);

        var inflated = await Send(bomb, "gzip");
        var corrupt = await Send(RawGrpcCall.Frame([1, 2, 3, 4], compressed: true), "gzip");
        var unknown = await Send(request, "br");

        Assert.True(bomb.Length < 64 * 1024, $"the compressed request is {bomb.Length} bytes: under the cap as sent");
        Assert.Equal((StatusCode.ResourceExhausted, "the request message is larger than 64 KiB, the most a call may carry"), (inflated.StatusCode, inflated.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "the request's message is not valid gzip data"), (corrupt.StatusCode, corrupt.Detail));
        Assert.Equal((StatusCode.Unimplemented, "the request is compressed with grpc-encoding 'br': this server reads gzip or deflate, or an uncompressed message"),
            (unknown.StatusCode, unknown.Detail));
    }

    [Theory]
    [InlineData("WatchListing", "WatchListingRequest")]
    [InlineData("GetListing", "GetListingRequest")]
    public async Task ACompressedRequest_WhoseFrameLies_OrThatInflatesToNoRequestMessage_IsInvalidArgument_AtTheGateway(string method, string requestType)
    {
        // Served by the gateway (WatchListing) or forwarded (GetListing): either way read here, where
        // grpc-dotnet would answer Internal ("Incomplete message") or Unknown before any of our code runs.
        using var http = new HttpMessageInvoker(new SocketsHttpHandler());
        var token = System.Tokens.For("D-COMPRESSED", RoleNames.Buyer);
        Task<Status> Send(byte[] body) =>
            RawGrpcCall.SendAsync(http, System.GatewayGrpcAddress, $"/remarketing.auction.v1.AuctionService/{method}", body, token, framed: false, grpcEncoding: "gzip");

        // A frame that says 9 bytes and holds 1; a well-formed gzip of bytes that are no protobuf
        // message; a well-formed request (both have listing_id = 1), which reaches the service.
        var lying = await Send([1, 0, 0, 0, 9, 0x1f]);
        var notAMessage = await Send(CompressedFrame([0x0a, 0xff, 0xff, 0xff]));
        var wellFormed = await Send(CompressedFrame(new GetListingRequest { ListingId = "L-NO-SUCH" }.ToByteArray()));

        Assert.Equal((StatusCode.InvalidArgument, $"the request is not one gRPC message: {method} takes exactly one {requestType}"), (lying.StatusCode, lying.Detail));
        Assert.Equal(StatusCode.InvalidArgument, notAMessage.StatusCode);
        Assert.StartsWith($"the request is not a valid {requestType} message: ", notAMessage.Detail);
        Assert.Equal(StatusCode.NotFound, wellFormed.StatusCode);
    }

    /// <summary>One gRPC frame flagged compressed, holding <paramref name="message"/> gzipped.</summary>
    private static byte[] CompressedFrame(byte[] message)
    {
        using var compressed = new MemoryStream();
        using (var compressing = new GZipStream(compressed, CompressionLevel.Optimal))
            compressing.Write(message);
        return RawGrpcCall.Frame(compressed.ToArray(), compressed: true);
    }

    [Fact]
    public async Task GrpcWebOverHttp11_Works_WithTheSameAccessRules()
    {
        var clock = new ClockService.ClockServiceClient(System.GatewayWebChannel());

        var reading = await clock.GetClockAsync(new GetClockRequest(), As("D-BROWSER", RoleNames.Buyer));
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => clock.GetClockAsync(new GetClockRequest()).ResponseAsync);

        Assert.InRange(reading.Now.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }

    [Fact]
    public async Task ServerStream_StaysOpenPastTheGatewaysIdleCutOff_OnHeartbeats()
    {
        var clock = new ClockService.ClockServiceClient(System.GatewayChannel());
        using var call = clock.WatchClock(new WatchClockRequest(), As("RC-WATCH", RoleNames.Remarketing));
        var stream = call.ResponseStream;
        var outlive = SystemFixture.StreamActivityTimeout + SystemFixture.UnaryActivityTimeout;

        Assert.True(await stream.MoveNext());
        Assert.Equal(ClockEvent.KindOneofCase.Reading, stream.Current.KindCase);
        var open = Stopwatch.StartNew();
        var heartbeats = 0;
        while (open.Elapsed < outlive)
        {
            Assert.True(await stream.MoveNext(), "the stream ended");
            Assert.Equal(ClockEvent.KindOneofCase.Heartbeat, stream.Current.KindCase);
            heartbeats++;
        }

        // Heartbeats every 250 ms over 6 s: about 24; some slack for a loaded machine.
        Assert.InRange(heartbeats, 12, 40);
    }

    [Fact]
    public async Task GatewayServesReflection_OfTheWholeContract()
    {
        using var call = new ServerReflection.ServerReflectionClient(System.GatewayChannel()).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();

        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(service => service.Name);
        Assert.Superset(ContractCatalog.Services.Select(service => service.FullName).ToHashSet(), services.ToHashSet());
    }

    [Fact]
    public async Task GatewayHealth_ReportsEachBackendByServiceName()
    {
        var health = new Health.HealthClient(System.GatewayChannel());

        var all = await health.CheckAsync(new HealthCheckRequest());
        var auction = await health.CheckAsync(new HealthCheckRequest { Service = AuctionService.Descriptor.FullName });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "nope.v1.Nope" }).ResponseAsync);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, all.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, auction.Status);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PathOutsideTheContracts_IsUnimplemented()
    {
        var invoker = System.GatewayChannel().CreateCallInvoker();
        var nowhere = new Method<GetClockRequest, ClockReading>(MethodType.Unary, "remarketing.auction.v1.AuctionService", "StealMaxima",
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), GetClockRequest.Parser.ParseFrom),
            Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), ClockReading.Parser.ParseFrom));

        var failure = await Assert.ThrowsAsync<RpcException>(() =>
            invoker.AsyncUnaryCall(nowhere, null, new CallOptions(As("D-1", RoleNames.Buyer)), new GetClockRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, failure.StatusCode);
    }

    [Fact]
    public async Task DevToken_SignsForAKnownRole_AndRefusesOthers()
    {
        using var http = new HttpClient { BaseAddress = System.GatewayHttpAddress };

        var refused = await http.PostAsJsonAsync("/dev/token", new { subject = "D-7", role = "admin" });
        var issued = await http.PostAsJsonAsync("/dev/token", new { subject = "D-7", role = RoleNames.Buyer });
        var token = (await issued.Content.ReadFromJsonAsync<TokenReply>())!.Token;
        var reading = await new ClockService.ClockServiceClient(System.GatewayChannel())
            .GetClockAsync(new GetClockRequest(), new Metadata { { "authorization", $"Bearer {token}" } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.NotNull(reading.Now);
    }

    private sealed record TokenReply(string Token);

    /// <summary>The call got past the gateway: the Auction service itself answers that listing L-1 does not exist.</summary>
    private static async Task ReachesTheService<T>(AsyncUnaryCall<T> call)
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
    }
}
