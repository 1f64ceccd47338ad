using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Who may call what, decided from the endpoint routing matched, never from the path as the
/// caller spelled it. The gateway and every service use these same rules: in
/// <see cref="ContractAccessMiddleware"/> before any handler, and again in
/// <see cref="ContractAccessInterceptor"/> around every gRPC handler.
/// </summary>
public static class ContractAccess
{
    /// <summary>gRPC services anyone may call without a token, wherever they are mapped.</summary>
    public static readonly IReadOnlySet<string> OpenServices = new HashSet<string>(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    };

    /// <summary>
    /// The operation behind the endpoint routing matched: a gateway route carries its
    /// <see cref="ContractOperation"/> as metadata; a service's gRPC endpoint its method. Null
    /// for an endpoint that is no operation (or a gRPC catch-all for unknown methods).
    /// </summary>
    public static MatchedOperation? Match(Endpoint? endpoint)
    {
        if (endpoint?.Metadata.GetMetadata<ContractOperation>() is { } routed)
            return new MatchedOperation(routed.Path, routed);
        if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc)
            return null;
        // IMethod.FullName is the path: "/package.Service/Method".
        var path = grpc.Method.FullName;
        if (ContractCatalog.FindByPath(path) is { } operation)
            return new MatchedOperation(path, operation);
        return OpenServices.Contains(grpc.Method.ServiceName) && !grpc.Method.Name.Contains('{', StringComparison.Ordinal)
            ? new MatchedOperation(path, null)
            : null;
    }

    /// <summary>True when the endpoint serves gRPC (or forwards it), so a request that reaches it without an operation must be refused.</summary>
    public static bool ServesGrpc(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null || endpoint?.Metadata.GetMetadata<ContractOperation>() is not null;

    /// <summary>Null when <paramref name="caller"/> may call <paramref name="operation"/>; otherwise the status that refuses it.</summary>
    public static Status? Refusal(ContractOperation operation, Caller? caller)
    {
        if (caller is null)
            return new Status(StatusCode.Unauthenticated, "no authenticated caller: send the header 'authorization: Bearer <token>'");
        if (caller.Role == RoleNames.Service && operation.Roles.Contains(caller.Role) && !operation.Services.Contains(caller.Subject))
        {
            return new Status(StatusCode.PermissionDenied,
                $"the {caller.Subject} service may not call {operation.Service}/{operation.Method}; " +
                $"services allowed: {string.Join(", ", operation.Services.Order(StringComparer.Ordinal))}");
        }

        if (operation.Roles.Contains(caller.Role))
            return null;
        return new Status(StatusCode.PermissionDenied,
            $"role '{caller.Role}' may not call {operation.Service}/{operation.Method}; " +
            $"allowed: {(operation.Roles.Count == 0 ? "nobody" : string.Join(", ", operation.Roles.Order(StringComparer.Ordinal)))}");
    }

    /// <summary>The refusal of a path that is not exactly an operation this process serves.</summary>
    /// <summary>The operation at the request's path if every service serves it for itself (the call named none of them); otherwise null.</summary>
    public static MatchedOperation? EachServicesOwnUnnamed(HttpContext context) =>
        ContractCatalog.FindByPath(RequestTarget(context)) is { } operation && ContractCatalog.IsEachServicesOwn(operation) && IsGrpcRequest(context.Request)
            ? new MatchedOperation(operation.Path, operation)
            : null;

    public static Status NoServiceNamed(ContractOperation operation) =>
        new(StatusCode.InvalidArgument,
            $"every service has its own {operation.Service[(operation.Service.LastIndexOf('.') + 1)..]}: send the metadata '{ContractCatalog.ServiceHeader}' " +
            $"naming whose ({string.Join(", ", ContractCatalog.ServiceAreas)})");

    public static Status NoSuchOperation(HttpContext context) =>
        new(StatusCode.Unimplemented,
            $"no operation at '{RequestTarget(context)}': a path is exactly '/<package>.<Service>/<Method>' as the contract spells it (case-sensitive, nothing added)");

    /// <summary>The request target exactly as the client sent it (the HTTP/2 :path), before any decoding.</summary>
    public static string RequestTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw)
            ? context.Request.PathBase.Add(context.Request.Path).ToUriComponent() + context.Request.QueryString
            : raw;
    }

    public static bool IsGrpcRequest(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
