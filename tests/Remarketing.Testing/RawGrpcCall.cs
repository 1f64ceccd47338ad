using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace Remarketing.Testing;

/// <summary>
/// A gRPC call sent exactly as written: the path goes on the wire byte for byte (no case
/// folding, no removal of "//" or "%4C"), as an attacker's own client would send it. Unary
/// framing: one request message, then the status; a server stream that starts answering counts
/// as admitted and is cut.
/// </summary>
public static class RawGrpcCall
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>The status and message the server answered, or <see cref="StatusCode.OK"/> with "admitted" when the call got through.</summary>
    /// <param name="framed">False: <paramref name="message"/> is the whole body as it stands, gRPC frame headers and all.</param>
    /// <param name="grpcEncoding">The grpc-encoding header, for a body whose frame says it is compressed.</param>
    public static async Task<Status> SendAsync(
        HttpMessageInvoker http, Uri server, string rawPath, byte[] message, string? bearerToken = null, bool grpcWeb = false, bool framed = true, string? grpcEncoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{server.Scheme}://{server.Authority}{rawPath}", Verbatim))
        {
            Version = grpcWeb ? HttpVersion.Version11 : HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed ? Frame(message) : message),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(grpcWeb ? "application/grpc-web+proto" : "application/grpc");
        if (!grpcWeb)
            request.Headers.TryAddWithoutValidation("te", "trailers");
        if (grpcEncoding is not null)
            request.Headers.TryAddWithoutValidation("grpc-encoding", grpcEncoding);
        if (bearerToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await http.SendAsync(request, cancel.Token);
        if (response.StatusCode != HttpStatusCode.OK)
            return new Status(FromHttp(response.StatusCode), $"HTTP {(int)response.StatusCode}");
        if (StatusIn(response.Headers) is { } trailersOnly)
            return trailersOnly;

        // Not refused up front: read what comes. A stream that was let in sends messages before any status.
        var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        var header = new byte[5];
        if (await body.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, cancel.Token) == 5)
            return new Status(StatusCode.OK, "admitted");
        return StatusIn(response.TrailingHeaders) ?? new Status(StatusCode.Unknown, "no grpc-status");
    }

    private static Status? StatusIn(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var codes))
            return null;
        var message = headers.TryGetValues("grpc-message", out var messages) ? Uri.UnescapeDataString(messages.First()) : "";
        return new Status((StatusCode)int.Parse(codes.First(), System.Globalization.CultureInfo.InvariantCulture), message);
    }

    /// <summary>One gRPC frame holding <paramref name="message"/>, flagged compressed if it is.</summary>
    public static byte[] Frame(byte[] message, bool compressed = false)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    // The mapping gRPC clients apply to an HTTP status without a grpc-status (grpc/doc/http-grpc-status-mapping.md).
    private static StatusCode FromHttp(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
