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
using Microsoft.Extensions.Options;
using OpenTelemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Remarketing.ServiceDefaults.Clock;
using Remarketing.ServiceDefaults.Errors;
using Remarketing.ServiceDefaults.Limits;
using Remarketing.ServiceDefaults.Security;
using Remarketing.ServiceDefaults.Streaming;

namespace Remarketing.ServiceDefaults;

public sealed class GrpcLimitsOptions
{
    public const string Section = "Grpc";

    /// <summary>Largest request message a service accepts; larger ones get ResourceExhausted.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 16 * 1024 * 1024)]
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024;
}
