using Grpc.AspNetCore.HealthChecks;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Grpc.Reflection;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.Contracts.Auction.V1;
using Remarketing.ServiceDefaults.Clients;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;
using Remarketing.ServiceDefaults.Telemetry;

namespace Remarketing.Gateway;

public static class GatewayExtensions
{
    public const string GrpcWebCors = "grpc-web";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        var backends = builder.Configuration.GetSection("Services").GetChildren()
            .Where(backend => !string.IsNullOrWhiteSpace(backend.Value))
            .ToDictionary(backend => backend.Key, backend => backend.Value!, StringComparer.Ordinal);
        var missing = ContractRoutes.RequiredBackends(options).Except(backends.Keys).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException($"Services:{string.Join(", Services:", missing)} not configured: the gateway needs the address of every backend.");

        if (options.DevTokens && !DevTokenEndpoint.AllowedEnvironments.Contains(builder.Environment.EnvironmentName))
        {
            throw new InvalidOperationException(
                $"Gateway:DevTokens is on in the {builder.Environment.EnvironmentName} environment: POST /dev/token signs any caller's token and runs only in " +
                $"{string.Join(" or ", DevTokenEndpoint.AllowedEnvironments)}. Turn it off, or use an identity provider.");
        }

        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ForwardedIdentity>();
        builder.Services.AddSingleton<ListingRelays>();
        builder.Services.AddSingleton<ListingWatchService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<ListingWatchService>, WatchListingOnly>());
        builder.Services.AddUpstreamClient<AuctionService.AuctionServiceClient>("auction")
            .ConfigurePrimaryHttpMessageHandler((handler, _) => NoticeDeadBackends((SocketsHttpHandler)handler))
            .ConfigureChannel(channel => channel.ServiceConfig!.MethodConfigs.Add(RetriedWhileRefused(ListingRelays.WatchListingPath)));
        builder.Services.AddUpstreamClient<ListingFeedClient>("auction")
            .ConfigurePrimaryHttpMessageHandler((handler, _) => NoticeDeadBackends((SocketsHttpHandler)handler));
        builder.Services.AddSingleton<BidCarriers>(provider => new(provider.GetRequiredService<BidCarrierClient>(), provider.GetRequiredService<ForwardedIdentity>(),
            provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System));
        builder.Services.AddSingleton<BidCarrierService>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<BidCarrierService>, PlaceBidOnly>());
        builder.Services.AddUpstreamClient<BidCarrierClient>("auction")
            .ConfigurePrimaryHttpMessageHandler((handler, _) => NoticeDeadBackends((SocketsHttpHandler)handler));
        // The heartbeats and the slow-reader bound of the WatchListing streams the gateway serves itself.
        builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var proxy = builder.Services.AddReverseProxy()
            .LoadFromMemory(ContractRoutes.Routes(options), ContractRoutes.Clusters(backends, options))
            .AddTransforms(ForwardedIdentity.AddTransform)
            .ConfigureHttpClient((_, handler) => NoticeDeadBackends(handler));
        if (options.ResolveBackendsByDns)
            proxy.AddDnsDestinationResolver(dns => dns.RefreshPeriod = TimeSpan.FromSeconds(30));

        builder.AddCallerLimits();
        builder.AddWebPages();

        builder.Services.AddCors(cors => cors.AddPolicy(GrpcWebCors, policy => policy
            .WithOrigins(options.AllowedOrigins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("grpc-status", "grpc-message", "grpc-encoding", "grpc-accept-encoding")));

        // The gateway's own gRPC services: health (its backends' health by service name) and
        // reflection over the whole public contract.
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ReflectionServiceImpl(ContractCatalog.Services));
        builder.Services.AddSingleton(new ReflectionV1ServiceImpl(ContractCatalog.Services));
        var healthReader = new BackendHealthReader();
        builder.Services.AddSingleton(healthReader);
        foreach (var (backend, addresses) in backends)
        {
            var check = new BackendHealthCheck(backend, ServiceAddresses.Instances(addresses), healthReader);
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"backend:{backend}", _ => check, failureStatus: null, tags: [backend]));
        }
        // The gateway has no Redis: its "clock" entry is the shared clock as the services hold it.
        var sharedClock = new SharedClockHealthCheck(backends.ToDictionary(backend => backend.Key, backend => ServiceAddresses.Instances(backend.Value)[0]), healthReader);
        builder.Services.Configure<HealthCheckServiceOptions>(health =>
        {
            var own = health.Registrations.Single(registration => registration.Name == "clock");
            health.Registrations.Remove(own);
            health.Registrations.Add(new HealthCheckRegistration("clock", _ => sharedClock, failureStatus: null, tags: null));
        });
        builder.Services.Configure<GrpcHealthChecksOptions>(health =>
        {
            foreach (var service in ContractCatalog.Services)
            {
                var backend = ContractCatalog.BackendOf(ContractCatalog.AreaOf(service), options.CommonBackend);
                health.Services.Map(service.FullName, check => check.Tags.Contains(backend));
            }
        });
        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseMiddleware<ResetGuard>();
        // A call naming two services' hand-offs would match two routes: refused before routing can be ambiguous.
        app.Use(RefuseSeveralServicesNamed);
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.Use((context, next) => RefuseOversizedMetadata(context, next, gateway.MaxRequestMetadataBytes));
        app.UseWebPages();
        // Routing first: the access check authorizes from the route it matched, not from the path text.
        app.UseRouting();
        // Every call that reached an operation, refused or not; a gRPC-Web call's status is in its body, passed on unread.
        app.UseMiddleware<CallMetrics>();
        app.UseCors(GrpcWebCors);
        app.UseMiddleware<ContractAccessMiddleware>();
        app.UseMiddleware<CallerLimitsMiddleware>();
        app.UseMiddleware<UnaryRequestMiddleware>();

        app.MapGrpcService<ReflectionServiceImpl>();
        app.MapGrpcService<ReflectionV1ServiceImpl>();
        if (gateway.DevTokens)
            app.MapDevTokens();
        // Operations the gateway serves itself, for gRPC over HTTP/2 only: gRPC-Web goes on to the service as before.
        if (gateway.RelayWatchListing)
            app.MapGrpcService<ListingWatchService>().Add(GatewayServedMethods.AheadOfTheForwardedRoute);
        if (gateway.CarryUnaryBids)
            app.MapGrpcService<BidCarrierService>().Add(GatewayServedMethods.AheadOfTheForwardedRoute);

        app.MapWebPages();
        app.MapReverseProxy(proxy =>
            {
                proxy.UseBackendFailuresAsUnavailable();
                proxy.UseSessionAffinity();
                proxy.UseLoadBalancing();
                proxy.UsePassiveHealthChecks();
            })
            .ConfigureEndpoints((endpoint, route) => endpoint.WithMetadata(ContractRoutes.OperationOf(route)));
        return app;
    }

    /// <summary>
    /// A callers' own WatchListing the service refused before answering (Unavailable: it refuses
    /// new streams on a connection where too many cancelled ones are still finishing) is tried
    /// again, a little later; once the service has answered, a failure goes to the caller.
    /// </summary>
    private static MethodConfig RetriedWhileRefused(string path)
    {
        var operation = ContractCatalog.FindByPath(path) ?? throw new InvalidOperationException($"{path} is not an operation of the contracts");
        return new MethodConfig
        {
            Names = { new MethodName { Service = operation.Service, Method = operation.Method } },
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 5,
                InitialBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromSeconds(1),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
    }

    /// <summary>Notices a backend that died without closing its connection while calls are open on it.</summary>
    private static void NoticeDeadBackends(SocketsHttpHandler handler)
    {
        handler.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
        handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
        handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
    }

    private static Task RefuseOversizedMetadata(HttpContext context, RequestDelegate next, int maxBytes)
    {
        // As HTTP/2 counts a header list (RFC 9113 6.5.2): name, value and 32 bytes for each field.
        var bytes = 0L;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
                bytes += 32 + name.Length + (value?.Length ?? 0);
        }

        return bytes <= maxBytes
            ? next(context)
            : GrpcErrorResponse.WriteAsync(context, StatusCode.ResourceExhausted,
                $"the call's metadata is {bytes / 1024.0:0.#} KiB, more than the {maxBytes / 1024} KiB a call may carry: send less in its headers");
    }

    private static Task RefuseSeveralServicesNamed(HttpContext context, RequestDelegate next)
    {
        // Sent twice, or as one comma-separated value: either way the routes would read several. Every call
        // passes here, and nearly none carries the metadata: that case costs one header lookup.
        var named = context.Request.Headers[ContractCatalog.ServiceHeader];
        return named.Count > 1 || (named.Count == 1 && named[0]!.Contains(',', StringComparison.Ordinal))
            ? GrpcErrorResponse.WriteAsync(context, StatusCode.InvalidArgument,
                $"the metadata '{ContractCatalog.ServiceHeader}' names more than one service: name one ({string.Join(", ", ContractCatalog.ServiceAreas)})")
            : next(context);
    }
}
