using Microsoft.AspNetCore.Builder;
using Remarketing.ServiceDefaults.Redis;

namespace Remarketing.ServiceDefaults;

/// <summary>How every service process starts: the defaults, its own Redis, its own parts, and its one gRPC service.</summary>
public static class ServiceProcess
{
    /// <param name="args">The process arguments (configuration on the command line).</param>
    /// <param name="addOwnParts">The service's own registrations (its domain, store and jobs).</param>
    public static void Run<TGrpcService>(string[] args, Action<WebApplicationBuilder>? addOwnParts = null)
        where TGrpcService : class
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddGrpcServiceDefaults();
        builder.AddRedis();
        addOwnParts?.Invoke(builder);

        var app = builder.Build();
        app.UseGrpcServiceDefaults();
        app.MapGrpcService<TGrpcService>();
        app.Run();
    }
}
