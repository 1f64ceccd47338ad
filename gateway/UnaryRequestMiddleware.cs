using System.Buffers;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// Reads a unary call's request at the gateway, so a bad one is refused before it travels on: a
/// body over the cap is ResourceExhausted; one that is not exactly one well-formed gRPC frame
/// holding a message of the operation's request type is InvalidArgument (a service would answer
/// Unknown: its framework fails to read the message before any of its code runs). A client
/// stream (BidStream) has no total cap, only the services' cap per message.
/// </summary>
public sealed class UnaryRequestMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private const int FrameHeaderBytes = 5;

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
        var limit = FrameHeaderBytes + maxMessage;
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

        if (MalformedProblem(context.Request.ContentType, request.AsSpan(0, length), operation) is { } problem)
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.InvalidArgument, problem);
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
    public static string Oversized(int maxMessage) => $"the request message is larger than {maxMessage / 1024} KiB, the most a call may carry";

    private static bool IsGrpcWebText(string? contentType) =>
        contentType?.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Null when the body is one gRPC frame whose message parses as the operation's request; else what is wrong.</summary>
    private static string? MalformedProblem(string? contentType, ReadOnlySpan<byte> body, Contracts.ContractOperation operation)
    {
        // gRPC-Web text is base64, and a compressed message needs decompressing: the service reads those.
        var type = operation.Descriptor.InputType;
        if (contentType is null || IsGrpcWebText(contentType))
            return null;
        if (body.Length > 0 && body[0] > 1)
            return $"the request's gRPC frame flag is {body[0]}: 0 (a {type.Name} as it is) or 1 (compressed, with grpc-encoding) only";
        if (body.Length > 0 && body[0] == 1)
            return null;
        if (body.Length < FrameHeaderBytes || System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(body[1..]) != body.Length - FrameHeaderBytes)
            return $"the request is not one gRPC message: a unary call carries exactly one {type.Name}";
        try
        {
            type.Parser.ParseFrom(body[FrameHeaderBytes..]);
            return null;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException exception)
        {
            return $"the request is not a valid {type.Name} message: {exception.Message}";
        }
    }

}
