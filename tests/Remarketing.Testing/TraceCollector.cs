using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Remarketing.Testing.Otlp;

namespace Remarketing.Testing;

/// <summary>
/// What an OpenTelemetry viewer would be given: an OTLP/HTTP receiver on loopback that the
/// system's processes export their spans to (<see cref="Settings"/>), keeping each span's trace,
/// service, name and links. Metrics and logs are taken and dropped.
/// </summary>
public sealed class TraceCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<CollectedSpan> _spans = new();
    private readonly WebApplication _host;

    private TraceCollector(WebApplication host, Uri address)
    {
        _host = host;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyCollection<CollectedSpan> Spans => _spans;

    /// <summary>The settings that make a process export to this collector quickly.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    public static async Task<TraceCollector> StartAsync()
    {
        var port = FreePort.Next();
        var address = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The output folder holds a referenced project's appsettings.json (the gateway's): its Kestrel
        // endpoints (127.0.0.1:5000, :5080) are not this host's, and fail it while ./run.sh holds them.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var host = builder.Build();
        var collector = new TraceCollector(host, address);
        host.MapPost("/v1/traces", collector.ReceiveAsync);
        host.MapPost("/v1/{signal}", () => Results.Ok());
        await host.StartAsync();
        return collector;
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resource in export.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(attribute => attribute.Key == "service.name")?.Value?.StringValue ?? "";
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                _spans.Enqueue(new CollectedSpan(service, Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind,
                    [.. span.Links.Select(link => Hex(link.TraceId))]));
            }
        }
        return Results.Bytes([], "application/x-protobuf");
    }

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}

/// <param name="Kind">1 internal, 2 server, 3 client, 4 producer, 5 consumer.</param>
/// <param name="LinkedTraces">The trace ids of its links.</param>
public sealed record CollectedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyList<string> LinkedTraces);
