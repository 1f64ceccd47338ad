using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.Gateway;

/// <summary>
/// A gRPC call whose backend failed (refused the connection, died mid-call, did not answer) ends
/// with Unavailable and a message, the status a client retries: not an HTTP 502, and not a reset
/// stream that a client reads as Cancelled. The caller's own failure (it reset or abandoned the
/// call) is left as it is. YARP's own classification is not used to tell the two apart: a backend
/// that dies while the request body is still being copied can be reported as the caller's
/// (RequestBodyClient, an HTTP 400) while the caller is still there, waiting for an answer.
/// </summary>
public static class BackendFailures
{
    public static IReverseProxyApplicationBuilder UseBackendFailuresAsUnavailable(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            if (!ContractAccess.IsGrpcRequest(context.Request))
            {
                await next();
                return;
            }

            // The forwarder resets the stream when a started response fails: held back here, so the
            // call can end with a status instead.
            var reset = new HeldReset(context.Features.Get<IHttpResetFeature>());
            context.Features.Set<IHttpResetFeature>(reset);
            await next();

            if (context.GetForwarderErrorFeature() is not { } failure || context.RequestAborted.IsCancellationRequested)
            {
                reset.Release();
                return;
            }

            var message = $"the service behind {context.Request.Path} is unavailable ({failure.Error}): retry, with the same request id for a change";
            if (!context.Response.HasStarted)
                await GrpcErrorResponse.WriteAsync(context, StatusCode.Unavailable, message);
            else if (context.Response.SupportsTrailers())
            {
                context.Response.AppendTrailer("grpc-status", ((int)StatusCode.Unavailable).ToString(System.Globalization.CultureInfo.InvariantCulture));
                context.Response.AppendTrailer("grpc-message", GrpcErrorResponse.EncodeMessage(message));
            }
            else
                reset.Release();
        });
        return proxy;
    }

    /// <summary>Records a reset instead of sending it, until <see cref="Release"/> sends it after all.</summary>
    private sealed class HeldReset(IHttpResetFeature? inner) : IHttpResetFeature
    {
        private int? _errorCode;

        public void Reset(int errorCode) => _errorCode = errorCode;

        public void Release()
        {
            if (_errorCode is { } code)
                inner?.Reset(code);
        }
    }
}
