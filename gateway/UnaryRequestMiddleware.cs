using System.Buffers;
using System.Buffers.Binary;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Gateway;

/// <summary>
/// Reads a unary call's request (and a server stream's one request) at the gateway, so a bad one is
/// refused before it travels on: a body over the cap, or a compressed message inflating past it, is
/// ResourceExhausted; one that is not exactly one well-formed gRPC frame holding a message of the
/// operation's request type, as sent or once inflated with its grpc-encoding, is InvalidArgument
/// (grpc-dotnet would answer Internal or Unknown: it fails to read the message before any of our
/// code runs); an encoding no compression provider reads is Unimplemented. A client stream
/// (BidStream) has no total cap, only the services' cap per message.
/// </summary>
public sealed class UnaryRequestMiddleware(RequestDelegate next, IOptions<GatewayOptions> options, IOptions<GrpcServiceOptions> grpc)
{
    private const string GrpcEncoding = "grpc-encoding";

    public async Task InvokeAsync(HttpContext context)
    {
        if (ContractAccess.Match(context.GetEndpoint())?.Operation is not { } operation)
        {
            await next(context);
            return;
        }

        if (operation.Descriptor.IsClientStreaming)
        {
            // A bidding stream lives for hours: no cap on its total, each message is capped by the service.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
                bodySize.MaxRequestBodySize = null;
            await next(context);
            return;
        }

        // The body is capped here: the server's own cap stays out of the way.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } unaryBodySize)
            unaryBodySize.MaxRequestBodySize = null;
        var maxMessage = options.Value.MaxRequestMessageBytes;
        var limit = EncodedMessage.FrameHeaderBytes + maxMessage;
        if (IsGrpcWebText(context.Request.ContentType))
            limit = ((limit + 2) / 3 * 4) + 4;
        if (context.Request.ContentLength > limit)
        {
            await RefuseOversizedAsync(context, maxMessage);
            return;
        }

        // Read into a pooled buffer, given back when the call is over; a stream (which may stay
        // open for hours) keeps a copy of its request the size it is, and gives the buffer back now.
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        var length = await context.Request.Body.ReadAtLeastAsync(buffer.AsMemory(0, limit + 1), limit + 1, throwOnEndOfStream: false, context.RequestAborted);
        var request = buffer;
        if (operation.Descriptor.IsServerStreaming)
        {
            request = buffer.AsSpan(0, Math.Min(length, limit + 1)).ToArray();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            context.Response.OnCompleted(() =>
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return Task.CompletedTask;
            });
        }

        if (length > limit)
        {
            await RefuseOversizedAsync(context, maxMessage);
            return;
        }

        if (Problem(context.Request, request.AsMemory(0, length), operation) is { } problem)
        {
            await GrpcErrorResponse.WriteAsync(context, problem.StatusCode, problem.Detail);
            return;
        }

        context.Request.Body = new MemoryStream(request, 0, length, writable: false);
        // The body is read and in memory, so there is no server cap left to lift: the forwarder,
        // which lifts it for every call, would find it read-only and log a warning per call (a
        // line per bid in the log, and 5 % of the gateway's CPU under load).
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(null);
        await next(context);
    }

    private static Task RefuseOversizedAsync(HttpContext context, int maxMessage) =>
        GrpcErrorResponse.WriteAsync(context, StatusCode.ResourceExhausted, Oversized(maxMessage));

    /// <summary>Why a request over the cap is refused.</summary>
    private static string Oversized(int maxMessage) => $"the request message is larger than {maxMessage / 1024} KiB, the most a call may carry";

    private static bool IsGrpcWebText(string? contentType) =>
        contentType?.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Null when the body is one gRPC frame whose message parses as the operation's request; else why it is refused.</summary>
    private Status? Problem(HttpRequest request, ReadOnlyMemory<byte> body, Contracts.ContractOperation operation)
    {
        // gRPC-Web text is base64: the service reads it.
        var type = operation.Descriptor.InputType;
        if (request.ContentType is null || IsGrpcWebText(request.ContentType))
            return null;
        var frame = body.Span;
        if (frame.Length > 0 && frame[0] > 1)
            return Invalid($"the request's gRPC frame flag is {frame[0]}: 0 (a {type.Name} as it is) or 1 (compressed, with grpc-encoding) only");
        if (frame.Length < EncodedMessage.FrameHeaderBytes || BinaryPrimitives.ReadUInt32BigEndian(frame[1..]) != frame.Length - EncodedMessage.FrameHeaderBytes)
            return Invalid($"the request is not one gRPC message: {operation.Method} takes exactly one {type.Name}");
        var message = body[EncodedMessage.FrameHeaderBytes..];
        if (frame[0] == 1)
        {
            var (inflated, refused) = Inflate(request.Headers[GrpcEncoding].ToString(), message);
            if (refused is not null)
                return refused;
            message = inflated;
        }

        try
        {
            type.Parser.ParseFrom(message.Span);
            return null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException exception)
        {
            return Invalid($"the request is not a valid {type.Name} message: {exception.Message}");
        }
    }

    /// <summary>The message inflated with the call's grpc-encoding (up to the cap), or why it cannot be.</summary>
    private (ReadOnlyMemory<byte> Message, Status? Refused) Inflate(string encoding, ReadOnlyMemory<byte> compressed)
    {
        var providers = grpc.Value.CompressionProviders;
        if (providers.FirstOrDefault(provider => string.Equals(provider.EncodingName, encoding, StringComparison.Ordinal)) is not { } provider)
        {
            return (default, new Status(StatusCode.Unimplemented,
                $"the request is compressed with grpc-encoding '{encoding}': this server reads {string.Join(" or ", providers.Select(known => known.EncodingName))}, or an uncompressed message"));
        }

        // Read one byte past the cap: a message that inflates beyond it is refused, not held.
        var cap = options.Value.MaxRequestMessageBytes;
        var inflated = new byte[cap + 1];
        int length;
        try
        {
            using var decompressing = provider.CreateDecompressionStream(new MemoryStream(compressed.ToArray(), writable: false));
            length = decompressing.ReadAtLeast(inflated, inflated.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException)
        {
            return (default, Invalid($"the request's message is not valid {encoding} data"));
        }

        return length > cap
            ? (default, new Status(StatusCode.ResourceExhausted, Oversized(cap)))
            : (inflated.AsMemory(0, length), null);
    }

    private static Status Invalid(string problem) => new(StatusCode.InvalidArgument, problem);
}
