using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Remarketing.ServiceDefaults.Security;

/// <summary>
/// Fails closed, before any handler runs (after routing): a gRPC request reaches a handler only
/// if routing matched an endpoint of a contract operation (or of health or reflection), the request target is exactly that operation's path, and,
/// for a contract operation, the caller's valid token carries a role the operation names.
/// Any other gRPC request (another letter case, a trailing slash, a percent-encoded letter, an
/// unknown method) is refused with Unimplemented. The gateway and every service run this same check.
/// </summary>
public sealed class ContractAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var matched = ContractAccess.Match(endpoint);
        // A call to an operation every service serves for itself (the hand-offs) that says no service
        // matches no route at the gateway: its caller is checked like any other, then it is refused.
        var unnamed = matched is null ? ContractAccess.EachServicesOwnUnnamed(context) : null;
        matched ??= unnamed;
        if (matched is null)
        {
            if (ContractAccess.ServesGrpc(endpoint) || ContractAccess.IsGrpcRequest(context.Request))
                await RefuseAsync(context, ContractAccess.NoSuchOperation(context));
            else
                await next(context);
            return;
        }

        if (!string.Equals(ContractAccess.RequestTarget(context), matched.Path, StringComparison.Ordinal))
        {
            await RefuseAsync(context, ContractAccess.NoSuchOperation(context));
            return;
        }

        if (matched.Operation is not { } operation)
        {
            await next(context);
            return;
        }

        var authentication = await context.AuthenticateAsync();
        if (!authentication.Succeeded)
        {
            await RefuseAsync(context, new Status(StatusCode.Unauthenticated, DescribeFailure(authentication)));
            return;
        }

        var caller = Caller.From(authentication.Principal);
        if (caller is null)
        {
            await RefuseAsync(context, new Status(StatusCode.Unauthenticated, "the token has no subject or no role claim: ask for a token that names both"));
            return;
        }

        if (ContractAccess.Refusal(operation, caller) is { } refusal)
        {
            await RefuseAsync(context, refusal);
            return;
        }

        if (unnamed is not null)
        {
            await RefuseAsync(context, ContractAccess.NoServiceNamed(operation));
            return;
        }

        context.User = authentication.Principal;
        await next(context);
    }

    private static Task RefuseAsync(HttpContext context, Status status) => GrpcErrorResponse.WriteAsync(context, status.StatusCode, status.Detail);

    private static string DescribeFailure(AuthenticateResult result) =>
        result.Failure switch
        {
            null => "no bearer token: send the header 'authorization: Bearer <token>'",
            TokenPolicyException policy => policy.Message,
            SecurityTokenExpiredException => "the bearer token has expired: get a new one",
            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException =>
                "the bearer token's signature does not verify: it was not issued for this system",
            SecurityTokenInvalidIssuerException or SecurityTokenInvalidAudienceException =>
                "the bearer token was issued for another issuer or audience",
            _ => "the bearer token is not valid",
        };
}
