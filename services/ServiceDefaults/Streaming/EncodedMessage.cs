using System.Buffers.Binary;
using Google.Protobuf;

namespace Remarketing.ServiceDefaults.Streaming;

/// <summary>
/// A message and its gRPC frame (the uncompressed-message flag, the length, the encoded message),
/// encoded once for all the streams a feed sends it to: a listing's event goes to thousands of
/// watchers, and encoding it for each one took about a sixth of the Auction's CPU in the fan-out
/// benchmark (docs/benchmarks.md).
/// </summary>
public sealed class EncodedMessage<T>
{
    internal EncodedMessage(T message, byte[] frame)
    {
        Message = message;
        Frame = frame;
    }

    public T Message { get; }

    /// <summary>The message as it goes on the wire inside HTTP/2 DATA frames.</summary>
    public ReadOnlyMemory<byte> Frame { get; }
}

public static class EncodedMessage
{
    /// <summary>A gRPC frame's header: the compressed flag and the message's length.</summary>
    public const int FrameHeaderBytes = 5;

    public static EncodedMessage<T> Encode<T>(T message)
        where T : IMessage<T>
    {
        var size = message.CalculateSize();
        var frame = new byte[FrameHeaderBytes + size];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), size);
        message.WriteTo(frame.AsSpan(FrameHeaderBytes));
        return new EncodedMessage<T>(message, frame);
    }
}
