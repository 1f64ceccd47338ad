using System.Text.Json;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.HandOffs;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using Remarketing.ServiceDefaults.Telemetry;
using StackExchange.Redis;

namespace Remarketing.ServiceDefaults;

public static class Extensions
{
    /// <summary>Telemetry, health checks, the shared clock and token validation: every process calls this once.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddTelemetry();
        // The host binds Kestrel:Endpoints from configuration but not Kestrel:Limits (HTTP/2 streams
        // per connection, windows): bound here, or every process would allow 100 streams per connection.
        builder.Services.Configure<KestrelServerOptions>(kestrel => builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy());
        builder.Services.AddGrpcHealthChecks();
        builder.AddSharedClock();
        builder.AddTokenAuthentication();
        // Real time, not the TimeProvider registered (the shared clock): heartbeats are for proxies.
        builder.Services.AddSingleton(_ => new HeartbeatTicker());
        return builder;
    }

    /// <summary>
    /// The gRPC server of a service: the error interceptor, the message size cap and stream settings.
    /// </summary>
    public static TBuilder AddGrpcServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCallerLimits();
        builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<GrpcLimitsOptions>().BindConfiguration(GrpcLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<GrpcErrorInterceptor>();
            options.Interceptors.Add<ContractAccessInterceptor>();
            options.Interceptors.Add<CallerViewInterceptor>();
            options.Interceptors.Add<MessageLimitsInterceptor>();
        });
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GrpcLimitsOptions>>(
            (grpc, limits) => grpc.MaxReceiveMessageSize = limits.Value.MaxReceiveMessageSize);
        return builder;
    }

    /// <summary>
    /// The request pipeline of a service: routing, then the contract access check (it reads the
    /// endpoint routing matched), gRPC-Web, the shared clock service, the hand-off service for the
    /// service's own outbox (where it has one), health (gRPC and /healthz). The service maps its
    /// own gRPC service after this.
    /// </summary>
    public static WebApplication UseGrpcServiceDefaults(this WebApplication app)
    {
        app.UseRouting();
        app.UseMiddleware<ContractAccessMiddleware>();
        // gRPC-Web requests from browsers arrive through the gateway; translated here.
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        // Inside gRPC-Web's translation, where a browser's call has its status in trailers too.
        app.UseMiddleware<CallMetrics>();
        app.MapGrpcService<ClockGrpcService>();
        if (app.Services.GetService<FailedHandOffs>() is not null)
            app.MapGrpcService<HandOffGrpcService>();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>
    /// Health over gRPC (<c>grpc.health.v1.Health</c>) and as JSON at /healthz (and /livez: the
    /// process itself only, for a liveness probe), open to anyone;
    /// Prometheus' /metrics only on the health port (<c>Kestrel:Endpoints:Health</c>), which is
    /// for probes and scrapers inside the deployment, never published.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthJsonAsync });
        // Liveness: the process answers. Redis or another service being away is no reason to restart it.
        app.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = check => check.Name == "self", ResponseWriter = WriteHealthJsonAsync });
        app.MapPrometheusScrapingEndpoint().RequireHost($"*:{HealthPort(app.Configuration)}");
        return app;
    }

    /// <summary>The port of the health endpoint every process has (<c>Kestrel:Endpoints:Health:Url</c>).</summary>
    public static int HealthPort(IConfiguration configuration)
    {
        var url = configuration["Kestrel:Endpoints:Health:Url"]
            ?? throw new InvalidOperationException("Kestrel:Endpoints:Health:Url is not configured: the HTTP/1.1 port for probes and /metrics, e.g. http://127.0.0.1:5203");
        // Kestrel takes "*" and "+" for every address; Uri does not.
        return new Uri(url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal)).Port;
    }

    /// <summary>
    /// The clock every part of the process reads (as its TimeProvider). With Clock:Epoch it is the
    /// shared clock kept in Redis (where the process has Redis: the services), followed while it
    /// runs; SetClock changes it where Clock:Control allows.
    /// </summary>
    private static TBuilder AddSharedClock<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var environment = builder.Environment.EnvironmentName;
        builder.Services.AddOptions<ClockOptions>().BindConfiguration(ClockOptions.Section).ValidateDataAnnotations()
            .Validate(options => !options.Control || ClockOptions.ControlEnvironments.Contains(environment),
                $"Clock:Control is on in the {environment} environment: it lets a caller change the system's time, and runs only in " +
                $"{string.Join(", ", ClockOptions.ControlEnvironments)}")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => new SharedClock(services.GetRequiredService<IOptions<ClockOptions>>().Value, TimeProvider.System));
        builder.Services.AddSingleton<TimeProvider>(services => services.GetRequiredService<SharedClock>());
        builder.Services.AddSingleton(services => new ClockFollower(
            services.GetRequiredService<SharedClock>(), services.GetService<IConnectionMultiplexer>(), services.GetRequiredService<ILogger<ClockFollower>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<ClockFollower>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("clock", services => services.GetRequiredService<ClockFollower>(), null, null));
        builder.Services.AddSingleton(services =>
        {
            var clock = services.GetRequiredService<SharedClock>();
            var redis = services.GetService<IConnectionMultiplexer>();
            return new ClockControl(clock, clock.IsShared && redis is not null ? new ClockStore(redis) : null, TimeProvider.System,
                services.GetRequiredService<IOptions<ClockOptions>>());
        });
        return builder;
    }

    private static TBuilder AddTokenAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .Validate(options => options.Signer != Signers.Identity && Signers.All.Contains(options.Signer),
                $"Auth:Signer must be one of: {string.Join(", ", Signers.All.Where(signer => signer != Signers.Identity))}")
            .Validate(options => options.Audience is Signers.PublicAudience or Signers.ServicesAudience,
                $"Auth:Audience must be '{Signers.PublicAudience}' (the gateway) or '{Signers.ServicesAudience}' (a service)")
            .ValidateOnStart();
        builder.Services.AddSingleton(services => KeyRing.Load(services.GetRequiredService<IOptions<AuthOptions>>().Value.KeysDirectory));
        builder.Services.AddSingleton(services => new TokenIssuer(services.GetRequiredService<KeyRing>(), services.GetRequiredService<IOptions<AuthOptions>>().Value.Signer));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<KeyRing, IOptions<AuthOptions>>((jwt, keys, auth) =>
        {
            jwt.TokenHandlers.Clear();
            jwt.TokenHandlers.Add(new TrustedTokenHandler(keys, auth.Value.MaxTokenLifetime));
            jwt.TokenValidationParameters = TrustedTokenHandler.Parameters(keys, auth.Value.Audience);
            // Token lifetimes are real time even when the shared clock runs a simulation.
            jwt.TimeProvider = TimeProvider.System;
        });
        return builder;
    }

    private static TBuilder AddTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var exported = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                // With nowhere to send spans, none is recorded (every call's spans would be filled
                // in, only to be dropped); trace ids are still made and passed on, so journeys and
                // error messages keep theirs.
                .SetSampler(exported ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOffSampler())
                .AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != "/healthz")
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("Remarketing.*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Remarketing.*")
                .AddPrometheusExporter());
        builder.Services.AddSingleton<CallMetrics>();
        builder.Services.AddSingleton<HealthMetrics>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(services => services.GetRequiredService<HealthMetrics>());
        builder.Services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(1);
            publisher.Period = HealthMetrics.Period;
        });
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        if (exported)
            telemetry.UseOtlpExporter();
        return builder;
    }

    private static Task WriteHealthJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
    }
}
