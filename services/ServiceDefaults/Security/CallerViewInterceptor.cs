using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Cuts every answer to a dealer to its role's view (<see cref="CallerViews"/>) on the way out, the
/// stream messages as they are written: whatever a handler put in a field the role is not shown
/// never leaves the service.
/// </summary>
public sealed class CallerViewInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(request, context);
        return ViewOf(context) is { } view ? (TResponse)view.Cut((IMessage)response) : response;
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(requestStream, context);
        return ViewOf(context) is { } view ? (TResponse)view.Cut((IMessage)response) : response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(request, Cut(responseStream, context), context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(requestStream, Cut(responseStream, context), context);

    private static CallerView? ViewOf(ServerCallContext context) =>
        Caller.From(context.GetHttpContext().User) is { } caller ? CallerViews.For(caller.Role) : null;

    private static IServerStreamWriter<T> Cut<T>(IServerStreamWriter<T> writer, ServerCallContext context) =>
        ViewOf(context) is { } view ? new CutWriter<T>(writer, view) : writer;

    private sealed class CutWriter<T>(IServerStreamWriter<T> inner, CallerView view) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => inner.WriteAsync((T)view.Cut((IMessage)message!));

        public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync((T)view.Cut((IMessage)message!), cancellationToken);
    }
}
