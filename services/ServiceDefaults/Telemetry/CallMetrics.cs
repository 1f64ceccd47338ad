using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Remarketing.ServiceDefaults.Security;

namespace Remarketing.ServiceDefaults.Telemetry;

/// <summary>
/// remarketing.rpc.*: every gRPC call this process answers (the gateway: every call it passes on),
/// counted and timed by operation and gRPC status, and the streams open now by operation. Runs
/// after routing, so the operation is the one the call matched: a path no operation answers is
/// counted as "unmatched", never by its text (a stranger's paths would make a label per path).
/// </summary>
public sealed class CallMetrics : IMiddleware
{
    public const string MeterName = "Remarketing.Rpc";

    /// <summary>The status of a call whose gRPC status this process did not see (a gRPC-Web answer the gateway passes on inside its body).</summary>
    public const string StatusNotSeen = "none";

    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _streams;

    public CallMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram("remarketing.rpc.server.duration", unit: "s",
            description: "gRPC calls answered: how long each took (a stream: how long it was open), by operation and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600] });
        _streams = meter.CreateUpDownCounter<long>("remarketing.rpc.server.streams_open", description: "Streaming calls open now, by operation");
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!ContractAccess.IsGrpcRequest(context.Request))
        {
            await next(context);
            return;
        }
        var matched = ContractAccess.Match(context.GetEndpoint());
        var operation = new KeyValuePair<string, object?>("operation", matched?.Path ?? "unmatched");
        var streaming = matched?.Operation?.IsStreaming == true;
        var started = Stopwatch.GetTimestamp();
        if (streaming)
            _streams.Add(1, operation);
        try
        {
            await next(context);
        }
        finally
        {
            if (streaming)
                _streams.Add(-1, operation);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, operation, new KeyValuePair<string, object?>("status", StatusOf(context)));
        }
    }

    /// <summary>The call's gRPC status by name: from the trailers, or from the headers of a trailers-only answer.</summary>
    private static string StatusOf(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] ?? default;
        if (value.Count == 0)
            value = context.Response.Headers["grpc-status"];
        return int.TryParse(value.ToString(), out var code) && Enum.IsDefined((StatusCode)code) ? ((StatusCode)code).ToString()
            : context.RequestAborted.IsCancellationRequested ? nameof(StatusCode.Cancelled) : StatusNotSeen;
    }
}
