using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// Caps a unary call's request at the gateway, so an oversized one is refused before it travels on:
/// the body (one gRPC message) is read here, up to the cap, and answered ResourceExhausted if it
/// is larger. A client stream (BidStream) has no total cap, only the services' cap per message.
/// </summary>
public sealed class RequestSizeMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
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

        var maxMessage = options.Value.MaxRequestMessageBytes;
        var limit = FrameHeaderBytes + maxMessage;
        if (context.Request.ContentType?.Contains("grpc-web-text", StringComparison.OrdinalIgnoreCase) == true)
            limit = ((limit + 2) / 3 * 4) + 4;
        var body = new MemoryStream();
        if (context.Request.ContentLength > limit || !await CopyAtMostAsync(context.Request.Body, body, limit, context.RequestAborted))
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.ResourceExhausted,
                $"the request message is larger than {maxMessage / 1024} KiB, the most a call may carry");
            return;
        }

        body.Position = 0;
        context.Request.Body = body;
        await next(context);
    }

    /// <summary>False when the source holds more than <paramref name="limit"/> bytes.</summary>
    private static async Task<bool> CopyAtMostAsync(Stream source, Stream target, int limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
                return false;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return true;
    }
}
