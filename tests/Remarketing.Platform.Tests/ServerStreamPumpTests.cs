using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf.WellKnownTypes;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Platform.Tests;

public class ServerStreamPumpTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private const string Heartbeat = "heartbeat";

    /// <summary>Real time: the first test hears real heartbeats.</summary>
    private static readonly HeartbeatTicker Ticker = new();

    [Fact]
    public async Task FirstMessage_IsWrittenAtOnce_ThenHeartbeatsWhileIdle()
    {
        var pump = new ServerStreamPump<string>(new StreamOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(60) }, () => Heartbeat, Ticker);
        var writer = new RecordingStreamWriter<string>();
        using var call = new CancellationTokenSource();
        pump.TryPublish("snapshot");

        var running = pump.RunAsync(writer, call.Token);

        Assert.Equal("snapshot", await writer.NextAsync(Wait));
        Assert.Equal(Heartbeat, await writer.NextAsync(Wait));
        Assert.Equal(Heartbeat, await writer.NextAsync(Wait));
        pump.TryPublish("bid");
        Assert.Equal("bid", await NextNotHeartbeat(writer));

        await call.CancelAsync();
        await running;
    }

    [Fact]
    public async Task APumpQuietUntilItsFirstMessage_SendsNoHeartbeatBeforeIt_AndHeartbeatsAfter()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var ticker = new HeartbeatTicker(time);
        var interval = TimeSpan.FromSeconds(1);
        var pump = new ServerStreamPump<string>(new StreamOptions { HeartbeatInterval = interval }, () => Heartbeat, ticker, quietUntilFirstMessage: true);
        var writer = new RecordingStreamWriter<string>();
        using var call = new CancellationTokenSource();
        var running = pump.RunAsync(writer, call.Token);

        // Ten intervals without a message: a pump that is not quiet sends a heartbeat every one.
        for (var tick = 0; tick < 20; tick++)
            time.Advance(interval / 2);
        pump.TryPublish("snapshot");
        var first = await writer.NextAsync(Wait);
        for (var tick = 0; tick < 4; tick++)
            time.Advance(interval / 2);
        var afterIt = await writer.NextAsync(Wait);

        Assert.Equal(("snapshot", Heartbeat), (first, afterIt));
        await call.CancelAsync();
        await running;
    }

    [Fact]
    public async Task MessagesAreWrittenInPublishOrder()
    {
        var pump = new ServerStreamPump<string>(new StreamOptions(), () => Heartbeat, Ticker);
        var writer = new RecordingStreamWriter<string>();
        var published = Enumerable.Range(1, 500).Select(i => $"event {i}").ToArray();
        foreach (var message in published)
            Assert.True(pump.TryPublish(message));
        pump.Complete();

        await pump.RunAsync(writer, CancellationToken.None);

        foreach (var message in published)
            Assert.Equal(message, await writer.NextAsync(Wait));
    }

    [Fact]
    public void FullQueue_RefusesMore_InsteadOfBufferingWithoutBound()
    {
        var pump = new ServerStreamPump<string>(new StreamOptions { QueueCapacity = 3 }, () => Heartbeat, Ticker);

        Assert.True(pump.TryPublish("1"));
        Assert.True(pump.TryPublish("2"));
        Assert.True(pump.TryPublish("3"));
        Assert.False(pump.TryPublish("4"));
    }

    [Fact]
    public async Task FailedStream_WritesWhatWasQueued_ThenEndsWithTheStatus()
    {
        var pump = new ServerStreamPump<string>(new StreamOptions(), () => Heartbeat, Ticker);
        var writer = new RecordingStreamWriter<string>();
        pump.TryPublish("event 41");
        pump.Fail(new RpcException(new Status(StatusCode.Aborted, "fell behind: resume after sequence 41")));

        var failure = await Assert.ThrowsAsync<RpcException>(() => pump.RunAsync(writer, CancellationToken.None));

        Assert.Equal(StatusCode.Aborted, failure.StatusCode);
        Assert.Equal("event 41", await writer.NextAsync(Wait));
        Assert.False(pump.TryPublish("event 42"));
    }

    [Fact]
    public async Task CancelledCall_EndsTheStreamQuietly()
    {
        var pump = new ServerStreamPump<string>(new StreamOptions(), () => Heartbeat, Ticker);
        using var call = new CancellationTokenSource();
        var running = pump.RunAsync(new RecordingStreamWriter<string>(), call.Token);

        await call.CancelAsync();
        await running;

        Assert.False(pump.TryPublish("late"));
    }

    [Fact]
    public async Task MessageEncodedOnce_GoesToTheBodyAsItsFrame_OnceGrpcHasSentTheHeaders()
    {
        var pump = new ServerStreamPump<StringValue>(new StreamOptions(), () => new StringValue { Value = Heartbeat }, Ticker);
        var writer = new RecordingStreamWriter<StringValue>();
        var body = new Pipe();
        var bid = EncodedMessage.Encode(new StringValue { Value = "bid" });
        var outbid = EncodedMessage.Encode(new StringValue { Value = "outbid" });
        pump.TryPublish(bid);
        pump.TryPublish(outbid);
        pump.TryPublish(new StringValue { Value = "not encoded" });
        pump.Complete();

        await pump.RunAsync(writer, CancellationToken.None, body.Writer);
        await body.Writer.CompleteAsync();

        // The first goes through gRPC (the response headers go before it), then the frame itself, then gRPC again.
        Assert.Equal("bid", (await writer.NextAsync(Wait)).Value);
        Assert.Equal("not encoded", (await writer.NextAsync(Wait)).Value);
        var written = (await body.Reader.ReadAtLeastAsync(int.MaxValue)).Buffer.ToArray();
        Assert.Equal(outbid.Frame.ToArray(), written);
        Assert.Equal([0, 0, 0, 0, (byte)(written.Length - 5)], written[..5]);
        Assert.Equal("outbid", StringValue.Parser.ParseFrom(written[5..]).Value);
    }

    private static async Task<string> NextNotHeartbeat(RecordingStreamWriter<string> writer)
    {
        while (true)
        {
            var message = await writer.NextAsync(Wait);
            if (message != Heartbeat)
                return message;
        }
    }
}
