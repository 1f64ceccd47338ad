using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Remarketing.Contracts.Quote.V1;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Security;
using StackExchange.Redis;

namespace Remarketing.Platform.Tests;

/// <summary>
/// The outbox sender against a receiver that answers as told: what it delivers, retries, sets
/// aside, and what health, the metrics and the trace say meanwhile. Real Redis, real gRPC over loopback.
/// </summary>
public sealed class HandOffSenderTests : IAsyncLifetime, IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly Outbox _outbox = new($"inspection-{Guid.NewGuid():N}");
    private readonly Receiver _receiver = new();
    private readonly TestMeters _testMeters = new();
    private readonly HandOffMetrics _metrics;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<string, long> _measured = new();
    private readonly ConcurrentDictionary<string, double> _waited = new();
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private WebApplication _receiverHost = null!;
    private HandOffSender _sender = null!;
    private ServiceProvider _clients = null!;

    /// <summary>The sender's retry waits pass on this clock, advanced by the tests, not in real time.</summary>
    private readonly FakeTimeProvider _retryTime = new();

    private static HandOffOptions Options => new()
    {
        FirstBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(10),
        RefusalsBeforeFailed = 3,
        CallTimeout = TimeSpan.FromSeconds(5),
        StaleAfter = TimeSpan.FromMinutes(2),
    };

    public HandOffSenderTests() => _metrics = new HandOffMetrics(_testMeters.Factory);

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The output folder holds a referenced project's appsettings.json (the gateway's): its Kestrel
        // endpoints (127.0.0.1:5000, :5080) are not this host's, and fail it while ./run.sh holds them.
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_receiver);
        _receiverHost = builder.Build();
        _receiverHost.MapGrpcService<Receiver>();
        await _receiverHost.StartAsync();

        // The sender's receivers as a service registers them (AddHandOffs): named clients carrying its service token.
        var services = new ServiceCollection().AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("Services:quote", $"http://localhost:{port}")]).Build())
            .AddSingleton(new TokenIssuer(_tokens.Keys, "inspection"));
        services.AddServiceClient<HandOffClient>("quote");
        _clients = services.BuildServiceProvider();
        _sender = new HandOffSender(_outbox, _connection, _clients.GetRequiredService<GrpcClientFactory>(),
            Microsoft.Extensions.Options.Options.Create(Options), _metrics, new HandOffRetryClock(_retryTime), NullLogger<HandOffSender>.Instance);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (_testMeters.Made(instrument, HandOffMetrics.MeterName))
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var status = tags.ToArray().FirstOrDefault(tag => tag.Key == "status").Value;
            var key = status is null ? instrument.Name : $"{instrument.Name}/{status}";
            if (instrument is ObservableGauge<long>)
                _measured[key] = value;
            else
                _measured.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        _meters.SetMeasurementEventCallback<double>((instrument, value, _, _) => _waited[instrument.Name] = value);
        _meters.Start();
    }

    public async Task DisposeAsync()
    {
        await _receiverHost.DisposeAsync();
        await _clients.DisposeAsync();
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _testMeters.Dispose();
        _sender.Dispose();
        _outbox.Dispose();
    }

    [Fact]
    public async Task AnAcknowledgedHandOff_LeavesTheOutbox_CarriesTheServiceToken_AndIsCounted()
    {
        await WriteAsync("CASE-1");

        var delivered = await _sender.DeliverDueAsync(CancellationToken.None);
        var health = await HealthAsync();
        _meters.RecordObservableInstruments();

        Assert.Equal(1, delivered);
        Assert.Equal("CASE-1", Assert.Single(_receiver.Received).CaseId);
        Assert.Equal(RoleNames.Service, Assert.Single(_receiver.Roles));
        Assert.Equal(0, await Database.StreamLengthAsync(_outbox.Pending));
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(1, _measured["remarketing.handoffs.delivered"]);
        Assert.Equal(0, _measured["remarketing.handoffs.pending"]);
    }

    [Fact]
    public async Task ARetry_WaitsItsBackoff_OnTheRetryClock()
    {
        _receiver.Answer(StatusCode.Unavailable, times: 1);
        await WriteAsync("CASE-W");

        await _sender.DeliverDueAsync(CancellationToken.None);
        await _sender.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(1, _receiver.Attempts);
        _retryTime.Advance(Options.FirstBackoff);
        var delivered = await _sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal((1, 2), (delivered, _receiver.Attempts));
    }

    [Fact]
    public async Task AReceiverThatCannotTakeItNow_IsRetriedForEver_NeverSetAside()
    {
        _receiver.Answer(StatusCode.Unavailable, times: 10);
        await WriteAsync("CASE-2");
        _meters.RecordObservableInstruments();
        var measuredBeforeAnyLook = _measured.ContainsKey("remarketing.handoffs.pending");
        await _sender.DeliverDueAsync(CancellationToken.None);
        var whileWaiting = await HealthAsync();
        _meters.RecordObservableInstruments();
        var (pending, waited) = (_measured["remarketing.handoffs.pending"], _waited["remarketing.handoffs.oldest_pending"]);

        var delivered = 0;
        for (var round = 0; round < 11; round++)
        {
            delivered += await _sender.DeliverDueAsync(CancellationToken.None);
            _retryTime.Advance(Options.MaxBackoff);
        }

        Assert.Equal(1, delivered);
        Assert.Equal(0, await Database.StreamLengthAsync(_outbox.Failed));
        Assert.Equal(10, _measured["remarketing.handoffs.attempts_failed/Unavailable"]);
        Assert.Equal(11, _receiver.Attempts);
        // The gauges say nothing until the outbox was read (0 would claim all was delivered), then what the health check read.
        Assert.False(measuredBeforeAnyLook);
        Assert.Equal(HealthStatus.Healthy, whileWaiting.Status);
        Assert.Equal(1, pending);
        Assert.InRange(waited, 0, 60);
    }

    [Fact]
    public async Task AHandOffRefusedAsWrong_MovesToTheFailedStream_AfterTheRefusalsInARow_AndHealthSaysDegraded()
    {
        _receiver.Answer(StatusCode.FailedPrecondition, times: 3);
        await WriteAsync("CASE-3");

        for (var round = 0; round < 3; round++)
        {
            await _sender.DeliverDueAsync(CancellationToken.None);
            _retryTime.Advance(Options.MaxBackoff);
        }
        var failed = Assert.Single(await Database.StreamRangeAsync(_outbox.Failed));
        var health = await HealthAsync();
        var listed = await new FailedHandOffs(_outbox, _connection).ListAsync(null);
        _meters.RecordObservableInstruments();

        Assert.Equal(0, await Database.StreamLengthAsync(_outbox.Pending));
        Assert.Equal(3, (int)failed[HandOffField.Attempts]);
        Assert.StartsWith("FailedPrecondition: refused on purpose", (string?)failed[HandOffField.Error], StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal("0 hand-offs pending, 1 failed", health.Description);
        Assert.Equal("CASE-3", RecordCaseEventRequest.Parser.ParseJson(Assert.Single(listed.HandOffs).RequestJson).CaseId);
        Assert.Equal(1, _measured["remarketing.handoffs.failed"]);
        Assert.Equal(3, _measured["remarketing.handoffs.attempts_failed/FailedPrecondition"]);
    }

    [Fact]
    public async Task WhatWaitsOnAHandOff_GoesOutOnlyOnceItIsAcknowledged_AndTravelsWithItWhenItIsSetAsideAndReplayed()
    {
        _receiver.Answer(StatusCode.FailedPrecondition, times: 3);
        var transaction = Database.CreateTransaction();
        var written = _outbox.AddAsync(transaction, HandOff.To(QuoteService.Descriptor.FindMethodByName("RecordCaseEvent"), Event("CASE-FIRST")) with
        {
            Then = [HandOff.To(QuoteService.Descriptor.FindMethodByName("RecordCaseEvent"), Event("CASE-THEN"))],
        });
        await transaction.ExecuteAsync();
        await written;

        for (var round = 0; round < 3; round++)
        {
            await _sender.DeliverDueAsync(CancellationToken.None);
            _retryTime.Advance(Options.MaxBackoff);
        }
        var setAside = Assert.Single(await Database.StreamRangeAsync(_outbox.Failed));
        var receivedWhileRefused = _receiver.Received.Count;
        await new FailedHandOffs(_outbox, _connection).ReplayAsync(new Caller("RC-1", RoleNames.Remarketing),
            new Remarketing.Contracts.Common.V1.ReplayHandOffRequest { RequestId = "replay-1", EntryId = setAside.Id.ToString() });
        var first = await _sender.DeliverDueAsync(CancellationToken.None);
        var then = await _sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(0, receivedWhileRefused);
        Assert.Equal("CASE-THEN", RecordCaseEventRequest.Parser.ParseFrom(Assert.Single(Outbox.ThenOf(setAside)).Body).CaseId);
        Assert.Equal((1, 1), (first, then));
        Assert.Equal(["CASE-FIRST", "CASE-THEN"], _receiver.Received.Select(request => request.CaseId));
        Assert.Equal(0, await Database.StreamLengthAsync(_outbox.Pending));
    }

    [Fact]
    public async Task AHandOffWaitingLongerThanStaleAfter_MakesHealthDegraded_NotSilent()
    {
        var handOff = HandOff.To(QuoteService.Descriptor.FindMethodByName("RecordCaseEvent"), Event("CASE-4"));
        var fields = Outbox.ScriptArguments(handOff);
        var written = Enumerable.Range(0, fields.Length / 2)
            .Select(index => new NameValueEntry(fields[2 * index], (string?)fields[2 * index] == HandOffField.WrittenAt
                ? DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds() : fields[2 * index + 1]))
            .ToArray();
        await Database.StreamAddAsync(_outbox.Pending, written);

        var health = await HealthAsync();

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal("1 hand-offs pending (oldest 180 s), 0 failed", health.Description);
    }

    [Fact]
    public async Task TheDelivery_ContinuesTheTraceOfTheChangeThatWroteIt()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HandOffSender.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("Remarketing.Tests");
        using var caller = new ActivityListener { ShouldListenTo = s => s.Name == "Remarketing.Tests", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded };
        ActivitySource.AddActivityListener(caller);
        ActivityTraceId cause;
        using (var change = source.StartActivity("the change"))
        {
            cause = change!.TraceId;
            await WriteAsync("CASE-5");
        }

        await _sender.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(cause.ToHexString(), Assert.Single(_receiver.TraceIds));
    }

    private IDatabase Database => _connection.GetDatabase();

    private static RecordCaseEventRequest Event(string caseId) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        CaseId = caseId,
        Step = CaseStep.InspectionAccepted,
        At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
    };

    private async Task WriteAsync(string caseId)
    {
        var transaction = Database.CreateTransaction();
        var written = _outbox.AddAsync(transaction, HandOff.To(QuoteService.Descriptor.FindMethodByName("RecordCaseEvent"), Event(caseId)));
        await transaction.ExecuteAsync();
        await written;
    }

    private Task<HealthCheckResult> HealthAsync() =>
        new HandOffHealthCheck(_outbox, _connection, Microsoft.Extensions.Options.Options.Create(Options), _metrics).CheckHealthAsync(new HealthCheckContext());

    /// <summary>Quote's RecordCaseEvent as a receiver that answers the statuses it is given, then OK.</summary>
    private sealed class Receiver : QuoteService.QuoteServiceBase
    {
        private readonly ConcurrentQueue<StatusCode> _answers = new();
        private int _attempts;

        public void Answer(StatusCode status, int times)
        {
            for (var time = 0; time < times; time++)
                _answers.Enqueue(status);
        }

        public ConcurrentQueue<RecordCaseEventRequest> Received { get; } = new();

        public ConcurrentQueue<string> Roles { get; } = new();

        public ConcurrentQueue<string> TraceIds { get; } = new();

        public int Attempts => _attempts;

        public override Task<CaseEvent> RecordCaseEvent(RecordCaseEventRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref _attempts);
            if (_answers.TryDequeue(out var status))
                throw new RpcException(new Status(status, "refused on purpose"));
            var token = new JsonWebToken(context.RequestHeaders.GetValue("authorization")!["Bearer ".Length..]);
            Roles.Enqueue(token.GetClaim(CallerClaims.Role).Value);
            if (context.RequestHeaders.GetValue("traceparent") is { } traceParent)
                TraceIds.Enqueue(traceParent.Split('-')[1]);
            Received.Enqueue(request);
            return Task.FromResult(new CaseEvent { Step = request.Step });
        }
    }
}
