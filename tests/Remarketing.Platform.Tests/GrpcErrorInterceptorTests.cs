using Microsoft.Extensions.Logging.Abstractions;
using Remarketing.ServiceDefaults.Errors;

namespace Remarketing.Platform.Tests;

public class GrpcErrorInterceptorTests
{
    private const string Method = "/remarketing.auction.v1.AuctionService/PlaceBid";

    private static readonly GrpcErrorInterceptor Interceptor = new(NullLogger<GrpcErrorInterceptor>.Instance);

    [Theory]
    [InlineData(DomainErrorKind.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(DomainErrorKind.NotFound, StatusCode.NotFound)]
    [InlineData(DomainErrorKind.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(DomainErrorKind.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(DomainErrorKind.PermissionDenied, StatusCode.PermissionDenied)]
    [InlineData(DomainErrorKind.ResourceExhausted, StatusCode.ResourceExhausted)]
    public async Task DomainRefusal_BecomesItsStatus_WithItsMessage(DomainErrorKind kind, StatusCode expected)
    {
        var failure = await CallFailingWith(new DomainException(kind, "bid at least $12,100.00"));

        Assert.Equal(expected, failure.StatusCode);
        Assert.Equal("bid at least $12,100.00", failure.Status.Detail);
    }

    [Fact]
    public async Task UnexpectedException_BecomesInternal_WithoutItsDetails()
    {
        var failure = await CallFailingWith(new InvalidOperationException("connection string redis://secret@10.0.0.1"));

        Assert.Equal(StatusCode.Internal, failure.StatusCode);
        Assert.DoesNotContain("secret", failure.Status.Detail);
        Assert.Contains("trace id", failure.Status.Detail);
    }

    [Fact]
    public async Task StatusThrownOnPurpose_PassesUnchanged()
    {
        var failure = await CallFailingWith(new RpcException(new Status(StatusCode.Aborted, "resume after sequence 41")));

        Assert.Equal(StatusCode.Aborted, failure.StatusCode);
        Assert.Equal("resume after sequence 41", failure.Status.Detail);
    }

    [Fact]
    public async Task ServerStreamRefusal_IsMappedToo()
    {
        var failure = await Assert.ThrowsAsync<RpcException>(() => Interceptor.ServerStreamingServerHandler<string, string>(
            "request", new RecordingStreamWriter<string>(), new TestServerCallContext(Method),
            (_, _, _) => throw DomainException.NotFound("no listing L-404")));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
    }

    private static Task<RpcException> CallFailingWith(Exception exception) =>
        Assert.ThrowsAsync<RpcException>(() => Interceptor.UnaryServerHandler<string, string>(
            "request", new TestServerCallContext(Method), (_, _) => throw exception));
}
