using Grpc.Core;

namespace Remarketing.ServiceDefaults.HandOffs;

/// <summary>
/// Calls a receiver's hand-off operation with the request as the outbox stored it: a client per
/// receiving service, registered by <see cref="HandOffExtensions.AddHandOffs"/> under its name.
/// </summary>
public sealed class HandOffClient : ClientBase<HandOffClient>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);

    public HandOffClient(CallInvoker callInvoker) : base(callInvoker)
    {
    }

    private HandOffClient(ClientBaseConfiguration configuration) : base(configuration)
    {
    }

    /// <summary>A unary call of <paramref name="method"/> (service/method) carrying <paramref name="request"/> as it is.</summary>
    public AsyncUnaryCall<byte[]> CallAsync(Method<byte[], byte[]> method, byte[] request, CallOptions options) =>
        CallInvoker.AsyncUnaryCall(method, null, options, request);

    /// <summary>The method of a hand-off operation, its messages carried as bytes.</summary>
    public static Method<byte[], byte[]> MethodOf(string service, string method) => new(MethodType.Unary, service, method, Bytes, Bytes);

    protected override HandOffClient NewInstance(ClientBaseConfiguration configuration) => new(configuration);
}
