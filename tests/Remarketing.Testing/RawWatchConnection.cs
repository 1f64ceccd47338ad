using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Remarketing.Contracts.Auction.V1;

namespace Remarketing.Testing;

/// <summary>
/// Many <c>WatchListing</c> streams on one HTTP/2 connection (h2c), read by a minimal client: one
/// socket read hands out every frame it holds, and each message is parsed once. It plays 10,000
/// dealers from a few percent of a core, where Grpc.Net.Client took most of one (a task, a
/// stream object and an async read per message per watcher), so the fan-out measures the system
/// rather than the load generator. It speaks only what a server stream needs: the request's
/// headers (HPACK literals, no table), the request message, flow control (windows opened wide at
/// the start and topped up), SETTINGS and PING acknowledgements. Response headers and trailers
/// are not decoded: a stream that ends (trailers, or a reset) is reported, with its trailers'
/// bytes as text (Kestrel sends header values as plain literals). A connection opened stalled
/// gives its streams no window until <see cref="OpenWindows"/>: a reader that stopped reading.
/// </summary>
public sealed class RawWatchConnection : IDisposable
{
    private const byte Data = 0x0, Headers = 0x1, Reset = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8;
    private const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8;
    private const int DefaultWindow = 65_535;
    private const int WideWindow = int.MaxValue;

    private readonly Socket _socket;
    private readonly string _authority;
    private readonly Lock _sending = new();
    private readonly Dictionary<int, Watch> _streams = [];
    private readonly Action<int, ListingEvent, long> _onMessage;
    private readonly Action<int, string> _onEnded;
    private readonly Task _reading;
    private readonly TaskCompletionSource<int> _goAway = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextStreamId = 1;
    private long _unacknowledgedBytes;
    private volatile bool _closing;

    private RawWatchConnection(Socket socket, string authority, Action<int, ListingEvent, long> onMessage, Action<int, string> onEnded, bool stalled)
    {
        _socket = socket;
        _authority = authority;
        _onMessage = onMessage;
        _onEnded = onEnded;
        var start = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        // No push; every stream's window as wide as HTTP/2 allows (none if stalled), and the connection's as wide.
        start.AddRange(Frame(Settings, 0, 0, [0, 2, 0, 0, 0, 0, .. StreamWindowSetting(stalled ? 0 : WideWindow)]));
        start.AddRange(Frame(WindowUpdate, 0, 0, BigEndian(WideWindow - DefaultWindow)));
        Send([.. start]);
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>
    /// Connects; <paramref name="onMessage"/> gets (watcher, message, Stopwatch timestamp of the
    /// read that held it) and <paramref name="onEnded"/> (watcher, why) from this connection's
    /// reader, one call at a time.
    /// </summary>
    /// <param name="stalled">Give the streams no window: the server can send them nothing until <see cref="OpenWindows"/>.</param>
    public static async Task<RawWatchConnection> ConnectAsync(Uri address, Action<int, ListingEvent, long> onMessage, Action<int, string> onEnded, bool stalled = false)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Parse(address.Host), address.Port);
        return new RawWatchConnection(socket, $"{address.Host}:{address.Port}", onMessage, onEnded, stalled);
    }

    /// <summary>Opens every stream's window wide: a stalled reader starts reading.</summary>
    public void OpenWindows() => Send(Frame(Settings, 0, 0, StreamWindowSetting(WideWindow)));

    /// <summary>Completes with the HTTP/2 error code of the first GOAWAY the server sends.</summary>
    public Task<int> GoAwayReceived => _goAway.Task;

    /// <summary>Resets a stream <see cref="Open"/> opened (RST_STREAM, CANCEL), as a client that gave up on it.</summary>
    public void ResetStream(int streamId) => Send(Frame(Reset, 0, streamId, BigEndian(0x8)));

    /// <summary>Opens one WatchListing stream for <paramref name="watcher"/> with the caller's <c>authorization</c> value; returns its stream id.</summary>
    public int Open(int watcher, string listingId, string authorization)
    {
        var header = new List<byte> { 0x83, 0x86 }; // :method POST, :scheme http (static table)
        Literal(header, 4, "/remarketing.auction.v1.AuctionService/WatchListing"); // :path
        Literal(header, 1, _authority); // :authority
        Literal(header, 31, "application/grpc"); // content-type
        Literal(header, 23, authorization); // authorization
        header.Add(0x00); // te: trailers, a literal with a new name
        String(header, "te");
        String(header, "trailers");
        var message = RawGrpcCall.Frame(new WatchListingRequest { ListingId = listingId }.ToByteArray());
        lock (_sending)
        {
            var id = _nextStreamId;
            _nextStreamId += 2;
            lock (_streams)
                _streams[id] = new Watch(watcher);
            _socket.Send([.. Frame(Headers, EndHeaders, id, [.. header]), .. Frame(Data, EndStream, id, message)]);
            return id;
        }
    }

    public void Dispose()
    {
        _closing = true;
        _socket.Dispose();
        try
        {
            _reading.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                if (read == 0)
                    break;
                var now = Stopwatch.GetTimestamp();
                filled += read;
                var offset = 0;
                while (filled - offset >= 9)
                {
                    var length = (buffer[offset] << 16) | (buffer[offset + 1] << 8) | buffer[offset + 2];
                    if (filled - offset < 9 + length)
                        break;
                    var stream = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(offset + 5)) & int.MaxValue;
                    OnFrame(buffer[offset + 3], buffer[offset + 4], stream, buffer.AsSpan(offset + 9, length), now);
                    offset += 9 + length;
                }

                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }

        if (!_closing)
        {
            lock (_streams)
            {
                foreach (var watch in _streams.Values)
                    _onEnded(watch.Index, "the connection closed");
            }
        }
    }

    private void OnFrame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload, long now)
    {
        switch (type)
        {
            case Data:
                if ((flags & Padded) != 0)
                    payload = payload[1..^payload[0]];
                _unacknowledgedBytes += payload.Length;
                if (_unacknowledgedBytes > WideWindow / 2)
                {
                    Send(Frame(WindowUpdate, 0, 0, BigEndian((int)_unacknowledgedBytes)));
                    _unacknowledgedBytes = 0;
                }

                if (WatchOf(stream) is { } watch)
                    watch.Receive(payload, now, _onMessage);
                break;
            case Headers when (flags & EndStream) != 0:
                Ended(stream, $"the server ended the stream: {Printable(payload)}");
                break;
            case Reset:
                Ended(stream, $"the stream was reset (HTTP/2 error {BinaryPrimitives.ReadInt32BigEndian(payload)})");
                break;
            case Settings when (flags & Ack) == 0:
                Send(Frame(Settings, Ack, 0, []));
                break;
            case Ping when (flags & Ack) == 0:
                Send(Frame(Ping, Ack, 0, payload.ToArray()));
                break;
            case GoAway:
                _goAway.TrySetResult(BinaryPrimitives.ReadInt32BigEndian(payload[4..]));
                if (!_closing)
                    Console.Error.WriteLine($"  watch connection: GOAWAY (HTTP/2 error {BinaryPrimitives.ReadInt32BigEndian(payload[4..])})");
                break;
        }
    }

    private Watch? WatchOf(int stream)
    {
        lock (_streams)
            return _streams.GetValueOrDefault(stream);
    }

    private void Ended(int stream, string why)
    {
        Watch? watch;
        lock (_streams)
            _streams.Remove(stream, out watch);
        if (watch is not null && !_closing)
            _onEnded(watch.Index, why);
    }

    private void Send(byte[] bytes)
    {
        lock (_sending)
            _socket.Send(bytes);
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: every stream's window.</summary>
    private static byte[] StreamWindowSetting(int window) => [0, 4, .. BigEndian(window)];

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        string.Create(bytes.Length, bytes.ToArray(), (text, raw) =>
        {
            for (var i = 0; i < raw.Length; i++)
                text[i] = raw[i] is >= 0x20 and < 0x7f ? (char)raw[i] : ' ';
        });

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>HPACK: a literal header field without indexing, its name from the static table.</summary>
    private static void Literal(List<byte> block, int nameIndex, string value)
    {
        Integer(block, 0x00, 4, nameIndex);
        String(block, value);
    }

    private static void String(List<byte> block, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        Integer(block, 0x00, 7, bytes.Length);
        block.AddRange(bytes);
    }

    /// <summary>HPACK's integer with an N-bit prefix (RFC 7541, 5.1).</summary>
    private static void Integer(List<byte> block, byte high, int prefixBits, int value)
    {
        var limit = (1 << prefixBits) - 1;
        if (value < limit)
        {
            block.Add((byte)(high | value));
            return;
        }

        block.Add((byte)(high | limit));
        value -= limit;
        while (value >= 128)
        {
            block.Add((byte)((value % 128) + 128));
            value /= 128;
        }

        block.Add((byte)value);
    }

    /// <summary>One stream's gRPC messages, put together from its DATA frames.</summary>
    private sealed class Watch(int index)
    {
        private byte[] _pending = new byte[512];
        private int _length;

        public int Index { get; } = index;

        public void Receive(ReadOnlySpan<byte> data, long now, Action<int, ListingEvent, long> onMessage)
        {
            if (_length + data.Length > _pending.Length)
                Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _length + data.Length));
            data.CopyTo(_pending.AsSpan(_length));
            _length += data.Length;
            var offset = 0;
            while (_length - offset >= 5)
            {
                var size = BinaryPrimitives.ReadInt32BigEndian(_pending.AsSpan(offset + 1));
                if (_length - offset - 5 < size)
                    break;
                onMessage(Index, ListingEvent.Parser.ParseFrom(_pending.AsSpan(offset + 5, size)), now);
                offset += 5 + size;
            }

            Buffer.BlockCopy(_pending, offset, _pending, 0, _length - offset);
            _length -= offset;
        }
    }
}
