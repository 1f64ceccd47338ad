using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Gateway;

/// <summary>A gRPC server stream's writer straight over the HTTP/2 response, for the streams the gateway serves itself.</summary>
public sealed class ResponseStreamWriter<T>(HttpResponse response) : IServerStreamWriter<T>
    where T : IMessage<T>
{
    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
            response.ContentType = "application/grpc";
        response.BodyWriter.Write(EncodedMessage.Encode(message).Frame.Span);
        var flushed = await response.BodyWriter.FlushAsync(cancellationToken);
        if (flushed.IsCompleted || flushed.IsCanceled)
            throw new OperationCanceledException("the response has ended");
    }
}
