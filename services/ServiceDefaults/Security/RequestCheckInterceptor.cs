using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Checks that run before a handler: <see cref="CheckCall"/> once per call, <see cref="CheckMessage"/>
/// on the request and on every message of a client stream. Either throws an
/// <see cref="RpcException"/> to refuse.
/// </summary>
public abstract class RequestCheckInterceptor : Interceptor
{
    protected virtual void CheckCall(ServerCallContext context)
    {
    }

    protected virtual void CheckMessage(object? message)
    {
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        CheckCall(context);
        CheckMessage(request);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CheckCall(context);
        return continuation(new CheckedReader<TRequest>(requestStream, this), context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CheckCall(context);
        CheckMessage(request);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        CheckCall(context);
        return continuation(new CheckedReader<TRequest>(requestStream, this), responseStream, context);
    }

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner, RequestCheckInterceptor checks) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
                return false;
            checks.CheckMessage(inner.Current);
            return true;
        }
    }
}
