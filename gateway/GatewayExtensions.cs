using Grpc.AspNetCore.HealthChecks;
using Grpc.Core;
using Grpc.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Remarketing.Contracts;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.Gateway;

public static class GatewayExtensions
{
    /// <summary>Matches gRPC's own content types only (not gRPC-Web's).</summary>
    private sealed class GrpcContentTypes : IAcceptsMetadata
    {
        public static readonly GrpcContentTypes Instance = new();

        public IReadOnlyList<string> ContentTypes { get; } = ["application/grpc", "application/grpc+proto"];

        public Type? RequestType => null;

        public bool IsOptional => false;
    }

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
        // The heartbeats and the slow-reader bound of the WatchListing streams the gateway serves itself.
        builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddReverseProxy()
            .LoadFromMemory(ContractRoutes.Routes(options), ContractRoutes.Clusters(backends, options))
            .AddTransforms(ForwardedIdentity.AddTransform)
            .ConfigureHttpClient((_, handler) =>
            {
                // Notice a backend that died without closing its connection while calls are open on it.
                handler.KeepAlivePingDelay = TimeSpan.FromSeconds(10);
                handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
                handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
            });

        builder.AddCallerLimits();

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
            var check = new BackendHealthCheck(backend, ContractRoutes.Addresses(addresses), healthReader);
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"backend:{backend}", _ => check, failureStatus: null, tags: [backend]));
        }
        // The gateway has no Redis: its "clock" entry is the shared clock as the services hold it.
        var sharedClock = new SharedClockHealthCheck(backends.ToDictionary(backend => backend.Key, backend => ContractRoutes.Addresses(backend.Value)[0]), healthReader);
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
        // A call naming two services' hand-offs would match two routes: refused before routing can be ambiguous.
        app.Use(RefuseSeveralServicesNamed);
        // Routing first: the access check authorizes from the route it matched, not from the path text.
        app.UseRouting();
        app.UseCors(GrpcWebCors);
        app.UseMiddleware<ContractAccessMiddleware>();
        app.UseMiddleware<CallerLimitsMiddleware>();
        app.UseMiddleware<UnaryRequestMiddleware>();

        app.MapGrpcService<ReflectionServiceImpl>();
        app.MapGrpcService<ReflectionV1ServiceImpl>();
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.DevTokens)
            app.MapDevTokens();
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.RelayWatchListing)
        {
            // Ahead of the forwarded route for the same path (a lower order wins), for gRPC over
            // HTTP/2 only: gRPC-Web goes on to the service as before.
            app.Map(ListingRelays.WatchListingPath, context => context.RequestServices.GetRequiredService<ListingRelays>().WatchListingAsync(context))
                .WithMetadata(ContractCatalog.FindByPath(ListingRelays.WatchListingPath)!, new HttpMethodMetadata(["POST"]), GrpcContentTypes.Instance)
                .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = -1);
        }

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
