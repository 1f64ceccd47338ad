using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Remarketing.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults.Errors;

/// <summary>
/// Turns what a handler throws into the status its caller gets: a <see cref="DomainException"/>
/// into its status with its message; an operation the service has not built yet into
/// Unimplemented naming where it will be built; anything unexpected into Internal with a
/// trace id and no internals.
/// </summary>
public sealed partial class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception exception) when (Translate(exception, context) is { } status)
        {
            throw status;
        }
    }

    /// <summary>The exception to throw instead, or null to let this one through unchanged.</summary>
    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        switch (exception)
        {
            case DomainException domain:
                return new RpcException(new Status(ToStatusCode(domain.Kind), domain.Message));
            case RpcException:
                return null;
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return null;
            case Exception when IsStorageOutage(exception):
                // Whether a change that timed out was made is unknown: a retry with the same request id tells.
                StorageUnavailable(logger, exception, context.Method);
                return new RpcException(new Status(StatusCode.Unavailable, "storage is unavailable for a moment: retry with the same request id"));
            default:
                var traceId = Activity.Current?.TraceId.ToString() ?? "none";
                Unhandled(logger, exception, context.Method, traceId);
                return new RpcException(new Status(StatusCode.Internal, $"internal error; quote trace id {traceId} when reporting it"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable in {Method}")]
    private static partial void StorageUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} (trace {TraceId})")]
    private static partial void Unhandled(ILogger logger, Exception exception, string method, string traceId);

    /// <summary>Redis down, unreachable, slow, or still loading its data after a restart.</summary>
    private static bool IsStorageOutage(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException or ReplicasBehindException
        // A cluster failing over: no primary for the slot yet (CLUSTERDOWN), or a write that reached a node just made a replica (READONLY), not applied.
        || (exception is RedisServerException server && TransientReplies.Any(reply => server.Message.StartsWith(reply, StringComparison.Ordinal)));

    private static readonly string[] TransientReplies = ["LOADING", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "READONLY"];

    public static StatusCode ToStatusCode(DomainErrorKind kind) =>
        kind switch
        {
            DomainErrorKind.InvalidArgument => StatusCode.InvalidArgument,
            DomainErrorKind.NotFound => StatusCode.NotFound,
            DomainErrorKind.AlreadyExists => StatusCode.AlreadyExists,
            DomainErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
            DomainErrorKind.PermissionDenied => StatusCode.PermissionDenied,
            DomainErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
            _ => StatusCode.Unknown,
        };
}
