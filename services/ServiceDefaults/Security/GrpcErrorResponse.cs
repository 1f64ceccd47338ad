using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Answers a request with a gRPC status from middleware, before any gRPC handler runs (auth,
/// rate limits). A trailers-only response: HTTP 200 with grpc-status in the headers, which
/// gRPC and gRPC-Web clients both read, so callers get a status and message, not an HTTP error.
/// </summary>
public static class GrpcErrorResponse
{
    public static Task WriteAsync(HttpContext context, StatusCode code, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var requestType = context.Request.ContentType;
        response.ContentType = requestType is not null && requestType.StartsWith("application/grpc", StringComparison.Ordinal)
            ? requestType
            : "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = EncodeMessage(message);
        return response.CompleteAsync();
    }

    /// <summary>
    /// grpc-message as the gRPC spec encodes it: UTF-8, with only '%' and bytes outside printable
    /// ASCII percent-encoded, so every client shows the message as written.
    /// </summary>
    public static string EncodeMessage(string message)
    {
        var encoded = new System.Text.StringBuilder(message.Length);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
                encoded.Append((char)b);
            else
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return encoded.ToString();
    }
}
