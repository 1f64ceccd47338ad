using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;
using Remarketing.Contracts;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Admits a call to a contract operation only with a valid token whose role the operation's
/// <c>(remarketing.common.v1.access)</c> option names. The gateway and every service run this
/// same check. Paths outside the contracts (health, reflection, /healthz) pass untouched.
/// </summary>
public sealed class ContractAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var operation = ContractCatalog.FindByPath(context.Request.Path.Value ?? "");
        if (operation is null)
        {
            await next(context);
            return;
        }

        var authentication = await context.AuthenticateAsync();
        if (!authentication.Succeeded)
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.Unauthenticated, DescribeFailure(authentication));
            return;
        }

        var caller = Caller.From(authentication.Principal);
        if (caller is null)
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.Unauthenticated,
                "the token has no subject or no role claim: ask for a token that names both");
            return;
        }

        if (!operation.Roles.Contains(caller.Role))
        {
            await GrpcErrorResponse.WriteAsync(context, StatusCode.PermissionDenied,
                $"role '{caller.Role}' may not call {operation.Service}/{operation.Method}; " +
                $"allowed: {(operation.Roles.Count == 0 ? "nobody" : string.Join(", ", operation.Roles.Order(StringComparer.Ordinal)))}");
            return;
        }

        context.User = authentication.Principal;
        await next(context);
    }

    private static string DescribeFailure(AuthenticateResult result) =>
        result.Failure switch
        {
            null => "no bearer token: send the header 'authorization: Bearer <token>'",
            SecurityTokenExpiredException => "the bearer token has expired: get a new one",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
                "the bearer token's signature does not verify: it was not issued for this system",
            SecurityTokenInvalidIssuerException or SecurityTokenInvalidAudienceException =>
                "the bearer token was issued for another issuer or audience",
            _ => "the bearer token is not valid",
        };
}
