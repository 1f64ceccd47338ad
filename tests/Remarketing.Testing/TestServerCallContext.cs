using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Remarketing.Testing;

/// <summary>A <see cref="ServerCallContext"/> for calling a gRPC service class or interceptor without a server.</summary>
public sealed class TestServerCallContext(string method, HttpContext? httpContext = null, CancellationToken cancellationToken = default)
    : ServerCallContext
{
    private readonly Dictionary<object, object> _userState = httpContext is null
        ? []
        // Where ServerCallContext.GetHttpContext() looks for it.
        : new() { ["__HttpContext"] = httpContext };

    protected override string MethodCore => method;
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:1";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore { get; } = [];
    protected override CancellationToken CancellationTokenCore => cancellationToken;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore => new(null, []);
    protected override IDictionary<object, object> UserStateCore => _userState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException("no propagation in tests");

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
