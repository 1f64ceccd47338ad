using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Remarketing.Contracts.Common.V1;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.ServiceDefaults.Clock;

/// <summary>Serves the shared clock, so clients and bots can show and plan by simulated time, and lets the remarketing center change it where allowed.</summary>
public sealed class ClockGrpcService(SharedClock clock, ClockControl control, IOptions<StreamOptions> streamOptions, HeartbeatTicker ticker) : ClockService.ClockServiceBase
{
    public override Task<ClockReading> GetClock(GetClockRequest request, ServerCallContext context) =>
        Task.FromResult(Read());

    public override async Task WatchClock(WatchClockRequest request, IServerStreamWriter<ClockEvent> responseStream, ServerCallContext context)
    {
        var pump = new ServerStreamPump<ClockEvent>(
            streamOptions.Value,
            () => new ClockEvent { Heartbeat = Heartbeats.Now(clock) },
            ticker);
        void OnChanged(object? sender, ClockDefinition changed) => pump.TryPublish(new ClockEvent { Reading = Read() });
        // Listening before the first reading, so a change in between is not missed.
        clock.Changed += OnChanged;
        try
        {
            pump.TryPublish(new ClockEvent { Reading = Read() });
            await pump.RunAsync(responseStream, context.CancellationToken);
        }
        finally
        {
            clock.Changed -= OnChanged;
        }
    }

    public override async Task<ClockReading> SetClock(SetClockRequest request, ServerCallContext context)
    {
        var change = new ClockChange(request.HasSpeed ? request.Speed : null, request.Advance?.ToTimeSpanAwayFromZero());
        var changed = await control.SetAsync(context.GetCaller(), request.RequestId, change);
        // The reading at the change: a repeat of the request answers the same.
        return ToProto(changed, changed.Start);
    }

    private ClockReading Read()
    {
        var definition = clock.Definition;
        return ToProto(definition, clock.GetUtcNow());
    }

    private static ClockReading ToProto(ClockDefinition definition, DateTimeOffset now) => new()
    {
        Now = Timestamp.FromDateTimeOffset(now),
        Speed = definition.Speed,
        Epoch = Timestamp.FromDateTimeOffset(definition.Epoch),
        Start = Timestamp.FromDateTimeOffset(definition.Start),
        Version = definition.Version,
    };
}
