using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>Serves the shared clock, so clients and bots can show and plan by simulated time.</summary>
public sealed class ClockGrpcService(SharedClock clock, IOptions<StreamOptions> streamOptions) : ClockService.ClockServiceBase
{
    public override Task<ClockReading> GetClock(GetClockRequest request, ServerCallContext context) =>
        Task.FromResult(Read());

    public override Task WatchClock(WatchClockRequest request, IServerStreamWriter<ClockEvent> responseStream, ServerCallContext context)
    {
        var pump = new ServerStreamPump<ClockEvent>(
            streamOptions.Value,
            () => new ClockEvent { Heartbeat = Heartbeats.Now(clock) });
        pump.TryPublish(new ClockEvent { Reading = Read() });
        return pump.RunAsync(responseStream, context.CancellationToken);
    }

    private ClockReading Read() => new()
    {
        Now = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        Speed = clock.Speed,
        Epoch = Timestamp.FromDateTimeOffset(clock.Epoch),
        Start = Timestamp.FromDateTimeOffset(clock.Start),
    };
}
