using Grpc.Core;
using Grpc.Core.Interceptors;
using Remarketing.Contracts;

namespace Remarketing.Faults;

/// <summary>
/// Counts what the system acknowledged to its clients: every call to a contract operation that
/// changes state and answered OK, and every answer a bidding stream gave (each is a stored
/// answer). Sits on the clients' channel as an interceptor.
/// </summary>
public sealed class Acknowledgements : Interceptor
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(request, context);
        if (!ChangesState(context.Method))
            return call;
        return new AsyncUnaryCall<TResponse>(Counted(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var call = continuation(context);
        if (!ChangesState(context.Method))
            return call;
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call.RequestStream, new CountingReader<TResponse>(call.ResponseStream, this),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private static bool ChangesState(IMethod method) => ContractCatalog.FindByPath(method.FullName) is { ChangesState: true };

    private async Task<TResponse> Counted<TResponse>(Task<TResponse> response)
    {
        var answer = await response;
        Interlocked.Increment(ref _count);
        return answer;
    }

    private sealed class CountingReader<T>(IAsyncStreamReader<T> inner, Acknowledgements counter) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var more = await inner.MoveNext(cancellationToken);
            if (more)
                Interlocked.Increment(ref counter._count);
            return more;
        }
    }
}
